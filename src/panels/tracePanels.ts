import type * as vscode from 'vscode';
import type { TraceGraph } from '../protocol/nostrProtocol';
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
  /** Traces the opener has just read, for the panel it is about to create (taken by the panel at once). */
  private readonly prefetched = new Map<string, TraceGraph>();
  private readonly manager: PanelManager<TraceSubject, typeof traceProtocol>;

  constructor(deps: TracePanelDeps, hostDeps: PanelHostDeps) {
    this.manager = new PanelManager(tracePanel(deps, this.controllers, this.prefetched), hostDeps);
  }

  /** `graph`: the trace the caller has just read for this subject; a new panel shows it without reading it again. */
  show(subject: TraceSubject, graph?: TraceGraph): void {
    const open = this.controllers.get(subject.requestId);
    if (!open && graph) this.prefetched.set(subject.requestId, graph);
    this.manager.show(subject);
    this.prefetched.delete(subject.requestId);
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
