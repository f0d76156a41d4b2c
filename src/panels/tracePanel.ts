import { readJobAnswer } from '../core/jobs/jobAnswers';
import type { SecretKey } from '../core/jobs/secretKey';
import { describeError } from '../core/util/errors';
import type { NostrNotification, TraceGraph } from '../protocol/nostrProtocol';
import { isEmptyDelta, traceDelta } from '../protocol/traceDelta';
import {
  deltaMessage, graphMessage, isTraceSubject, panelGraph, traceProtocol, type FromTrace, type ToTrace, type TraceAnswer,
  type TracePanelGraph, type TraceSubject,
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
  openDvmPage(pubkey: string): void;
  /** The playground with its form filled from this job. */
  sendTestJob(requestId: string): void;
  copy(text: string): Promise<void>;
  /** Asks where to save and writes the text there; resolves to the path written, or undefined when the user cancelled. */
  saveJson(suggestedName: string, text: string): Promise<string | undefined>;
}

/** What the panel needs of the user's Nostr identity (NostrIdentity): the key, lent for one piece of work, here. */
export interface TraceIdentity {
  exists(): Promise<boolean>;
  use<T>(work: (key: SecretKey) => T | Promise<T>): Promise<T>;
}

export interface TracePanelDeps {
  readonly engine: EngineRequester;
  readonly actions: TraceActions;
  /** Absent: encrypted answers stay unread. */
  readonly identity?: TraceIdentity;
}

/** In place of a prefetched trace: the opener is reading it and hands it over with `adopt` (see TracePanels.opening). */
export const OPENER_READING = 'opener reading';

/** The coalescer cuts a notification's id lists at this length (changeCoalescer.ts): a full list may omit ours. */
const CUT_LIST_LENGTH = 1_000;

/**
 * One panel per job (its request id is the key); the subject also names the asked event, which the page
 * highlights. `controllers` lets the opener tell an open panel that another event of its job was asked for.
 */
export function tracePanel(deps: TracePanelDeps, controllers: Map<string, TracePanel>, prefetched: Map<string, TraceGraph | typeof OPENER_READING> = new Map()): PanelDefinition<TraceSubject, TraceProtocol> {
  return {
    viewType: 'swarmscope.trace',
    bundle: 'trace',
    styles: ['dist/webview/vis-network.css', 'media/trace.css'],
    protocol: traceProtocol,
    title: (subject) => `Job Trace · ${subject.requestId.slice(0, 8)}`,
    key: (subject) => subject.requestId,
    parseSubject: (value) => (isTraceSubject(value) ? value : undefined),
    create: (channel, subject) => {
      const graph = prefetched.get(subject.requestId);
      prefetched.delete(subject.requestId);
      const controller = new TracePanel(channel, deps, subject, (requestId) => {
        if (controllers.get(requestId) === controller) controllers.delete(requestId);
      }, graph);
      controllers.set(subject.requestId, controller);
      return controller;
    },
  };
}

/**
 * The job trace of one job and its whole chain (`nostr.traceGraph`). A page that says ready gets the whole trace at
 * once when the panel has one (the opener's own read, or the last answer: a page shown again, or reloaded), and it
 * is read only when there is none, or when the chain changed meanwhile. While visible, a `nostr.changed` naming any
 * job of the chain (a new answer, a zap, a cancellation, or a new sub-job: the engine names its parent) reads it
 * again at once and sends the page only what changed (traceDelta.ts), so a new event costs one query and a few
 * hundred bytes, not the 600 KB trace and a redraw; reads never overlap, and one that arrives during a read runs
 * right after.
 */
export class TracePanel implements PanelController<TraceProtocol> {
  readonly requests = {
    event: ({ id }: { id: string }) => this.deps.engine.request('nostr.event', { id }),
    answer: ({ id }: { id: string }) => this.answer(id),
  };
  private asked: string;
  /** The opener's read of the trace is on its way (adopt): the panel does not read it a second time meanwhile. */
  private openerReading: boolean;
  /** The chain's jobs and their parents, as last read: the jobs whose changes concern this panel. */
  private chain = new Set<string>();
  private last: TraceGraph | undefined;
  /** When the engine answered `last` (ms since the epoch): what the page's "Updated" line says. */
  private lastReadAt = 0;
  /** What the page has (the last graph or delta posted since it said ready), and its version. */
  private sent: { readonly graph: TracePanelGraph; readonly version: number } | undefined;
  private version = 0;
  private readonly reads = new SerialRead(() => this.readOnce(), () => this.disposed);
  private disposed = false;

  constructor(
    private readonly channel: PanelChannel<TraceProtocol>,
    private readonly deps: TracePanelDeps,
    private subject: TraceSubject,
    private readonly onDispose: (requestId: string) => void,
    /** The opener's read of this trace (the first page shows it without reading it again), or that it is on its way. */
    prefetched?: TraceGraph | typeof OPENER_READING,
  ) {
    this.asked = subject.asked;
    this.openerReading = prefetched === OPENER_READING;
    if (typeof prefetched === 'object' && prefetched.requestId === subject.requestId && prefetched.askedId === subject.asked) this.remember(prefetched);
    channel.follow(['nostr.changed'], {
      changed: (notification) => {
        if (concernsChain(notification.payload, this.chain)) void this.read();
      },
      missed: () => void this.read(),
    });
  }

  /** A new page has nothing: it gets the whole trace the panel holds, or is told it is being read. */
  ready(): void {
    this.sent = undefined;
    if (this.last) this.send(panelGraph(this.last), this.lastReadAt);
    else {
      this.channel.post({ type: 'loading', subject: { requestId: this.subject.requestId, asked: this.asked } });
      if (!this.openerReading) void this.read();
    }
  }

  /**
   * The opener's read arrived: the panel shows this trace, of this subject (the job the engine found for the asked
   * event, which the panel opened with before it was known). A page that is not ready yet gets it when it says ready.
   */
  adopt(subject: TraceSubject, graph: TraceGraph): void {
    this.openerReading = false;
    this.subject = subject;
    this.asked = subject.asked;
    this.remember(graph);
    this.sent = undefined;
    this.send(panelGraph(graph), this.lastReadAt);
  }

  /** The job this panel shows, as last known. */
  get requestId(): string {
    return this.subject.requestId;
  }

  /** Whether the trace this panel holds has this event. */
  hasEvent(eventId: string): boolean {
    return this.subject.requestId === eventId || this.last?.timeline.some((row) => row.id === eventId) === true;
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
        // The page may have missed a delta: the next answer goes whole.
        this.sent = undefined;
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
      case 'openDvmPage':
        this.deps.actions.openDvmPage(message.pubkey);
        return;
      case 'sendTestJob':
        this.deps.actions.sendTestJob(message.requestId);
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
    this.onDispose(this.subject.requestId);
  }

  private read(): Promise<void> {
    return this.reads.run();
  }

  private async readOnce(): Promise<void> {
    let message: ToTrace | undefined;
    try {
      const { graph } = await this.deps.engine.request('nostr.traceGraph', { id: this.asked });
      if (this.disposed) return;
      if (graph) {
        this.remember(graph);
        this.send(panelGraph(graph), this.lastReadAt);
        return;
      }
      this.last = undefined;
      this.sent = undefined;
      message = { type: 'missing', subject: { requestId: this.subject.requestId, asked: this.asked } };
    } catch (error) {
      message = { type: 'error', message: describeError(error) };
    }
    if (!this.disposed) this.channel.post(message);
  }

  private remember(graph: TraceGraph): void {
    this.last = graph;
    this.lastReadAt = Date.now();
    this.chain = chainJobs(graph);
  }

  /**
   * The whole graph to a page that has none, else what changed since the version it has (nothing when nothing did).
   * A post to a page that is not ready is dropped; the next page to say ready gets the whole graph (see ready).
   */
  private send(graph: TracePanelGraph, readAt: number): void {
    const before = this.sent;
    const delta = before ? traceDelta(before.graph, graph) : undefined;
    if (before && delta && isEmptyDelta(delta, before.graph)) return;
    const version = ++this.version;
    this.channel.post(before && delta ? deltaMessage(delta, before.version, version, readAt) : graphMessage(graph, version, readAt));
    this.sent = { graph, version };
  }

  /**
   * An encrypted answer to one of the user's jobs, decrypted here with their key; only the plaintext goes to the
   * page. Without a key nothing is made (viewing a trace never creates one), and an answer encrypted to another key
   * is left alone.
   */
  private async answer(id: string): Promise<TraceAnswer | null> {
    const identity = this.deps.identity;
    if (!identity || !(await identity.exists())) return null;
    const event = await this.deps.engine.request('nostr.event', { id });
    if (!event || !event.tags.some((tag) => tag[0] === 'encrypted')) return null;
    return identity.use((key) => {
      if (!event.tags.some((tag) => tag[0] === 'p' && tag[1] === key.publicKey)) return null;
      const read = readJobAnswer(event, key);
      if (!read) return null;
      return {
        decrypted: read.decrypted === true,
        ...(read.decrypted ? { content: read.content } : {}),
        ...(read.status !== undefined ? { status: read.status } : {}),
        ...(read.statusMessage !== undefined ? { statusMessage: read.statusMessage } : {}),
        ...(read.decryptError ? { error: read.decryptError } : {}),
      };
    });
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
