import type * as vscode from 'vscode';
import type { traceProtocol, TraceSubject } from '../protocol/tracePanelProtocol';
import { PanelManager } from './panelManager';
import type { PanelHostDeps } from './panelHost';
import { tracePanel, type TracePanel, type TracePanelDeps } from './tracePanel';

/**
 * The open job traces: one panel per job. Asked for another event of a job whose panel is open, it reveals that
 * panel and moves its highlight to the new event.
 */
export class TracePanels implements vscode.Disposable {
  private readonly controllers = new Map<string, TracePanel>();
  private readonly manager: PanelManager<TraceSubject, typeof traceProtocol>;

  constructor(deps: TracePanelDeps, hostDeps: PanelHostDeps) {
    this.manager = new PanelManager(tracePanel(deps, this.controllers), hostDeps);
  }

  show(subject: TraceSubject): void {
    const open = this.controllers.get(subject.requestId);
    this.manager.show(subject);
    open?.ask(subject.asked);
  }

  /** Whether a panel shows this job now. */
  isOpen(requestId: string): boolean {
    return this.controllers.has(requestId);
  }

  dispose(): void {
    this.manager.dispose();
  }
}
