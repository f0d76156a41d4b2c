import * as vscode from 'vscode';
import type { dashboardProtocol } from '../protocol/dashboardProtocol';
import type { EngineNotification } from '../protocol/engineProtocol';
import type { subnetProtocol } from '../protocol/subnetPanelProtocol';
import type { weightsProtocol } from '../protocol/weightsPanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import { dashboardPanel, type DashboardSubject } from './dashboardPanel';
import { NotificationRouter } from './notificationRouter';
import { PanelManager } from './panelManager';
import type { PanelLog } from './panelSession';
import { subnetPanel, type SubnetActions } from './subnetPanel';
import type { TraceActions } from './tracePanel';
import { TracePanels } from './tracePanels';
import { weightsPanel } from './weightsPanel';

export type DashboardPanels = PanelManager<DashboardSubject, typeof dashboardProtocol>;
export type WeightsPanels = PanelManager<number, typeof weightsProtocol>;
export type SubnetPanels = PanelManager<number, typeof subnetProtocol>;

/**
 * Every kind of webview panel, built once in services.ts during activation (their serializers must exist when VS
 * Code restores panels after a reload), and the router through which engine notifications reach them.
 */
export class Panels implements vscode.Disposable {
  private readonly router = new NotificationRouter();
  readonly dashboard: DashboardPanels;
  readonly weights: WeightsPanels;
  readonly trace: TracePanels;
  readonly subnet: SubnetPanels;

  constructor(deps: { readonly extensionUri: vscode.Uri; readonly engine: EngineRequester; readonly log: PanelLog; readonly traceActions: TraceActions; readonly subnetActions: SubnetActions }) {
    const hostDeps = { extensionUri: deps.extensionUri, router: this.router, log: deps.log };
    this.dashboard = new PanelManager(dashboardPanel({
      engine: deps.engine,
      openKind: () => void vscode.commands.executeCommand('swarmscope.kinds.focus'),
    }), hostDeps);
    this.weights = new PanelManager(weightsPanel({ engine: deps.engine }), hostDeps);
    this.trace = new TracePanels({ engine: deps.engine, actions: deps.traceActions }, hostDeps);
    this.subnet = new PanelManager(subnetPanel({ engine: deps.engine, actions: deps.subnetActions }), hostDeps);
  }

  route(notification: EngineNotification): void {
    this.router.route(notification);
  }

  dispose(): void {
    this.subnet.dispose();
    this.trace.dispose();
    this.weights.dispose();
    this.dashboard.dispose();
  }
}
