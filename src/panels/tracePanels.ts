import type * as vscode from 'vscode';
import type { TraceGraph } from '../protocol/nostrProtocol';
import type { traceProtocol, TraceSubject } from '../protocol/tracePanelProtocol';
import { PanelManager } from './panelManager';
import type { PanelHostDeps } from './panelHost';
import { OPENER_READING, tracePanel, type TracePanel, type TracePanelDeps } from './tracePanel';

/** A trace being opened while the engine reads it (TracePanels.opening). */
export interface TraceOpening {
  /** The engine found the job: the panel shows it (or the panel that already shows that job is revealed). */
  show(graph: TraceGraph): void;
  /** No job, or the read failed: the panel opened for it closes. */
  cancel(): void;
}

/**
 * The open job traces: one panel per job. Asked for another event of a job whose panel is open, it reveals that
 * panel and moves its highlight to the new event.
 */
export class TracePanels implements vscode.Disposable {
  private readonly controllers = new Map<string, TracePanel>();
  /** Traces the opener has just read (or is reading), for the panel it is about to create (taken by the panel at once). */
  private readonly prefetched = new Map<string, TraceGraph | typeof OPENER_READING>();
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

  /**
   * Opens the trace of event `eventId` before the engine has said which job it belongs to: VS Code takes about a
   * second to build a new panel's page (its webview service worker, see test/bench/webviewShellTimeline.ts), and the
   * engine reads the trace during that second instead of before it. The panel opens keyed by the event and takes
   * its job's key when the trace arrives; an event of a job whose panel is open opens nothing new.
   */
  opening(eventId: string): TraceOpening {
    const showing = [...this.controllers.values()].find((controller) => controller.hasEvent(eventId));
    const reuse: TraceOpening = {
      show: (graph) => this.show({ requestId: graph.requestId, asked: graph.askedId }, graph),
      cancel: () => undefined,
    };
    if (showing) return reuse;
    const provisional: TraceSubject = { requestId: eventId, asked: eventId };
    this.prefetched.set(eventId, OPENER_READING);
    const host = this.manager.show(provisional);
    this.prefetched.delete(eventId);
    const controller = this.controllers.get(eventId);
    if (!controller) return reuse;
    return {
      show: (graph) => {
        const subject: TraceSubject = { requestId: graph.requestId, asked: graph.askedId };
        if (host.subject.requestId !== subject.requestId && !this.manager.rekey(host, subject)) {
          // Another panel shows that job: it is revealed, and this one is not needed.
          host.dispose();
          this.show(subject, graph);
          return;
        }
        if (this.controllers.get(eventId) === controller) this.controllers.delete(eventId);
        this.controllers.set(subject.requestId, controller);
        controller.adopt(subject, graph);
      },
      cancel: () => host.dispose(),
    };
  }

  /** Whether a panel shows this job now. */
  isOpen(requestId: string): boolean {
    return this.controllers.has(requestId);
  }

  dispose(): void {
    this.manager.dispose();
  }
}
