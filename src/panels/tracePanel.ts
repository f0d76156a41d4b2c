import { describeError } from '../core/util/errors';
import type { NostrNotification, TraceGraph } from '../protocol/nostrProtocol';
import {
  isTraceSubject, panelGraph, traceProtocol, type FromTrace, type ToTrace, type TraceSubject,
} from '../protocol/tracePanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import type { PanelDefinition } from './panelDefinition';
import type { PanelChannel, PanelController } from './panelSession';
import { SerialRead } from './serialRead';
import { exportFileName, neventOf, traceExport } from './traceDocuments';

type TraceProtocol = typeof traceProtocol;
type ChangedPayload = Extract<NostrNotification, { topic: 'nostr.changed' }>['payload'];

/** What the trace panel may ask of VS Code (traceActions.ts provides it; the panel's logic stays vscode-free). */
export interface TraceActions {
  openEvent(id: string): void;
  /** Resolves false when the DVMs tree has no row for it. */
  revealDvm(pubkey: string): Promise<boolean>;
  copy(text: string): Promise<void>;
  /** Asks where to save and writes the text there; resolves to the path written, or undefined when the user cancelled. */
  saveJson(suggestedName: string, text: string): Promise<string | undefined>;
}

export interface TracePanelDeps {
  readonly engine: EngineRequester;
  readonly actions: TraceActions;
}

/** The coalescer cuts a notification's id lists at this length (changeCoalescer.ts): a full list may omit ours. */
const CUT_LIST_LENGTH = 1_000;

/**
 * One panel per job (its request id is the key); the subject also names the asked event, which the page
 * highlights. `controllers` lets the opener tell an open panel that another event of its job was asked for.
 */
export function tracePanel(deps: TracePanelDeps, controllers: Map<string, TracePanel>): PanelDefinition<TraceSubject, TraceProtocol> {
  return {
    viewType: 'swarmscope.trace',
    bundle: 'trace',
    styles: ['dist/webview/vis-network.css', 'media/trace.css'],
    protocol: traceProtocol,
    title: (subject) => `Job Trace · ${subject.requestId.slice(0, 8)}`,
    key: (subject) => subject.requestId,
    parseSubject: (value) => (isTraceSubject(value) ? value : undefined),
    create: (channel, subject) => {
      const controller = new TracePanel(channel, deps, subject, () => controllers.delete(subject.requestId));
      controllers.set(subject.requestId, controller);
      return controller;
    },
  };
}

/**
 * The job trace of one job and its whole chain (`nostr.traceGraph`). The first page reads it; every later page
 * (shown again, window reloaded) gets the last answer replayed at once and reads again only if the chain changed
 * meanwhile. While visible, a `nostr.changed` naming any job of the chain (a new answer, a zap, a cancellation, or
 * a new sub-job: the engine names its parent) reads it again at once, so a new event shows within the engine's
 * notification interval plus one query; reads never overlap, and one that arrives during a read runs right after.
 */
export class TracePanel implements PanelController<TraceProtocol> {
  readonly requests = {
    event: ({ id }: { id: string }) => this.deps.engine.request('nostr.event', { id }),
  };
  private asked: string;
  /** The chain's jobs and their parents, as last read: the jobs whose changes concern this panel. */
  private chain = new Set<string>();
  private last: TraceGraph | undefined;
  private readonly reads = new SerialRead(() => this.readOnce(), () => this.disposed);
  private disposed = false;

  constructor(
    private readonly channel: PanelChannel<TraceProtocol>,
    private readonly deps: TracePanelDeps,
    private readonly subject: TraceSubject,
    private readonly onDispose: () => void,
  ) {
    this.asked = subject.asked;
    channel.follow(['nostr.changed'], {
      changed: (notification) => {
        if (concernsChain(notification.payload, this.chain)) void this.read();
      },
      missed: () => void this.read(),
    });
  }

  ready(replayed: boolean): void {
    if (!replayed) {
      this.channel.setState({ type: 'loading', subject: { requestId: this.subject.requestId, asked: this.asked } });
      void this.read();
    }
  }

  /** Another event of this job was asked for: highlight it instead. */
  ask(eventId: string): void {
    if (eventId === this.asked) return;
    this.asked = eventId;
    void this.read();
  }

  received(message: FromTrace): void {
    switch (message.type) {
      case 'refresh':
        void this.read();
        return;
      case 'openEvent':
        this.deps.actions.openEvent(message.id);
        return;
      case 'revealDvm':
        void this.deps.actions.revealDvm(message.pubkey).then((found) => {
          if (!found) this.notice('That DVM is not among the DVMs listed in the DVMs view.');
        }, (error: unknown) => this.notice(`Could not reveal the DVM: ${describeError(error)}`));
        return;
      case 'copy':
        void this.copy(message.what, message.id);
        return;
      case 'export':
        void this.export();
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.onDispose();
  }

  private read(): Promise<void> {
    return this.reads.run();
  }

  private async readOnce(): Promise<void> {
    let message: ToTrace;
    try {
      const { graph } = await this.deps.engine.request('nostr.traceGraph', { id: this.asked });
      this.last = graph ?? undefined;
      if (graph) {
        this.chain = chainJobs(graph);
        message = { type: 'graph', graph: panelGraph(graph), readAt: Date.now() };
      } else {
        message = { type: 'missing', subject: { requestId: this.subject.requestId, asked: this.asked } };
      }
    } catch (error) {
      message = { type: 'error', message: describeError(error) };
    }
    if (!this.disposed) this.channel.setState(message);
  }

  private async copy(what: 'id' | 'nevent', id: string): Promise<void> {
    const row = this.last?.timeline.find((each) => each.id === id);
    try {
      if (what === 'id') await this.deps.actions.copy(id);
      else if (row) await this.deps.actions.copy(neventOf(row));
      else return this.notice('That event is no longer in the trace.');
      this.notice(what === 'id' ? 'Event id copied.' : 'nevent copied (with the relays that carried the event).');
    } catch (error) {
      this.notice(`Could not copy: ${describeError(error)}`);
    }
  }

  private async export(): Promise<void> {
    try {
      const { graph } = await this.deps.engine.request('nostr.traceGraph', { id: this.asked });
      if (!graph) return this.notice('Nothing to export: the job is no longer stored.');
      const path = await this.deps.actions.saveJson(exportFileName(graph.requestId), `${JSON.stringify(traceExport(graph), null, 2)}\n`);
      if (path) this.notice(`Saved the trace (${graph.timeline.length} signed events and the graph) to ${path}`);
    } catch (error) {
      this.notice(`Could not export the trace: ${describeError(error)}`);
    }
  }

  private notice(message: string): void {
    if (!this.disposed) this.channel.post({ type: 'notice', message });
  }
}

/** Every job of the chain, and the parents they name (a parent not stored yet: its arrival concerns the chain). */
export function chainJobs(graph: Pick<TraceGraph, 'jobs'>): Set<string> {
  const ids = new Set<string>();
  for (const job of graph.jobs) {
    ids.add(job.requestId);
    for (const parent of job.parents) ids.add(parent);
  }
  return ids;
}

/** Whether a `nostr.changed` may concern the chain: it names one of its jobs, or its list was cut. */
export function concernsChain(payload: Pick<ChangedPayload, 'jobs'>, chain: ReadonlySet<string>): boolean {
  return payload.jobs.length >= CUT_LIST_LENGTH || payload.jobs.some((job) => chain.has(job));
}
