import * as vscode from 'vscode';
import type { dashboardProtocol } from '../protocol/dashboardProtocol';
import type { EngineNotification } from '../protocol/engineProtocol';
import type { subnetProtocol } from '../protocol/subnetPanelProtocol';
import type { weightsProtocol } from '../protocol/weightsPanelProtocol';
import type { NostrIdentity } from '../identity/nostrIdentity';
import type { playgroundProtocol } from '../protocol/playgroundPanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import { dashboardPanel, type DashboardSubject } from './dashboardPanel';
import { NotificationRouter } from './notificationRouter';
import { nostrPageActions } from './nostrPageActions';
import { NostrPagePanels } from './nostrPagePanels';
import { PanelManager } from './panelManager';
import type { PanelLog } from './panelSession';
import { playgroundActions } from './playgroundActions';
import { playgroundPanel, type PlaygroundSubject } from './playgroundPanel';
import { subnetPanel, type SubnetActions } from './subnetPanel';
import type { TraceActions } from './tracePanel';
import { TracePanels } from './tracePanels';
import { weightsPanel } from './weightsPanel';

export type DashboardPanels = PanelManager<DashboardSubject, typeof dashboardProtocol>;
export type WeightsPanels = PanelManager<number, typeof weightsProtocol>;
export type SubnetPanels = PanelManager<number, typeof subnetProtocol>;
export type PlaygroundPanels = PanelManager<PlaygroundSubject, typeof playgroundProtocol>;

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
  /** The DVM, kind and user pages (one panel with Back / Forward). */
  readonly pages: NostrPagePanels;
  readonly playground: PlaygroundPanels;

  constructor(deps: {
    readonly extensionUri: vscode.Uri; readonly engine: EngineRequester; readonly log: PanelLog; readonly traceActions: TraceActions; readonly subnetActions: SubnetActions;
    readonly identity: NostrIdentity;
  }) {
    const hostDeps = { extensionUri: deps.extensionUri, router: this.router, log: deps.log };
    const pageActions = nostrPageActions();
    this.pages = new NostrPagePanels({ engine: deps.engine, actions: pageActions }, hostDeps);
    this.dashboard = new PanelManager(dashboardPanel({
      engine: deps.engine,
      openKind: (kind) => this.pages.show({ type: 'kind', id: String(kind) }),
      openDvm: (pubkey) => this.pages.show({ type: 'dvm', id: pubkey }),
      openTrace: pageActions.openTrace,
    }), hostDeps);
    this.weights = new PanelManager(weightsPanel({ engine: deps.engine }), hostDeps);
    this.trace = new TracePanels({ engine: deps.engine, actions: deps.traceActions, identity: deps.identity }, hostDeps);
    this.subnet = new PanelManager(subnetPanel({ engine: deps.engine, actions: deps.subnetActions }), hostDeps);
    this.playground = new PanelManager(playgroundPanel({
      engine: deps.engine,
      identity: deps.identity,
      actions: playgroundActions({ openTrace: (requestId) => this.trace.show({ requestId, asked: requestId }) }),
    }), hostDeps);
  }

  route(notification: EngineNotification): void {
    this.router.route(notification);
  }

  dispose(): void {
    this.playground.dispose();
    this.subnet.dispose();
    this.trace.dispose();
    this.weights.dispose();
    this.dashboard.dispose();
    this.pages.dispose();
  }
}
