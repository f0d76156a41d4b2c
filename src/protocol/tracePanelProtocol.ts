import type { NostrEvent, TraceFetchReport, TraceGraph } from './nostrProtocol';
import { TRACE_EDGE_TYPES, TRACE_NODE_TYPES } from './nostrProtocol';
import type { TraceDelta } from './traceDelta';
import type { TracePanelGraph, TracePanelRow } from './tracePanelGraph';
import { expandJson, internJson, type InternedJson } from './tracePanelWire';
import { isRecord, type PanelProtocol, type RequestSpec } from './webviewPanelProtocol';

/**
 * Messages between the job-trace panel (src/panels/tracePanel.ts) and its webview (webview/trace), inside the panel
 * envelope (webviewPanelProtocol.ts). Shared by both sides; no vscode and no DOM here.
 *
 * The host sends the whole trace (`graph`) to every page that says ready, then only what changed (`delta`, applied
 * to the version the page has): the page adds what is new to what it draws. Both travel with their long strings
 * interned (tracePanelWire.ts). The signed events are left out (320 of them are ~800 KB of JSON, most of the
 * answer): the details pane asks for the one it shows with the `event` request.
 */

/** Which job a panel shows (one panel per job), and which of its events was asked for (highlighted). */
export interface TraceSubject {
  readonly requestId: string;
  readonly asked: string;
}

export type { TracePanelGraph, TracePanelRow };

export type ToTrace =
  | { readonly type: 'loading'; readonly subject: TraceSubject }
  /**
   * The whole trace (a TracePanelGraph, interned: read it with `traceGraphOf`), as version `version`. `readAt`: when
   * the engine answered (ms since the epoch).
   */
  | { readonly type: 'graph'; readonly wire: InternedJson; readonly version: number; readonly readAt: number; readonly fetched?: TraceFetchReport }
  /** What changed since version `since` (a TraceDelta, interned: `traceDeltaOf`); the page then has `version`. */
  | { readonly type: 'delta'; readonly wire: InternedJson; readonly since: number; readonly version: number; readonly readAt: number }
  /** Nothing links the id to a job (any more): the event was evicted, or never stored. */
  | { readonly type: 'missing'; readonly subject: TraceSubject }
  | { readonly type: 'error'; readonly message: string }
  /** The outcome of something the page asked the host to do (copy, export): shown in the page's status line. */
  | { readonly type: 'notice'; readonly message: string };

export type FromTrace =
  /** Read the trace again and send it whole (the user asked, or a delta did not fit the version the page has). */
  | { readonly type: 'refresh' }
  /** The signed event's JSON in an editor tab. */
  | { readonly type: 'openEvent'; readonly id: string }
  /** The DVM's row in the DVMs tree. */
  | { readonly type: 'revealDvm'; readonly pubkey: string }
  /** The DVM's page (its NIP-89 card, liveness, kinds, problems). */
  | { readonly type: 'openDvmPage'; readonly pubkey: string }
  /** The playground, its form filled from this job of the chain (kind, inputs, params, target). */
  | { readonly type: 'sendTestJob'; readonly requestId: string }
  /** The event's hex id, or its nevent (with the relays that carried it and its author), to the clipboard. */
  | { readonly type: 'copy'; readonly what: 'id' | 'nevent'; readonly id: string }
  /** Save the trace (signed events and graph) as JSON, through a save dialog. */
  | { readonly type: 'export' };

export interface TraceRequests {
  /** One signed event of the trace, for the details pane; null when the store no longer has it. */
  readonly event: RequestSpec<{ readonly id: string }, NostrEvent | null>;
  /**
   * An encrypted feedback or result of one of your jobs, read with your key in the extension (the key never reaches
   * the page); null when there is no key, or the event is not encrypted to it.
   */
  readonly answer: RequestSpec<{ readonly id: string }, TraceAnswer | null>;
}

/** A decrypted answer: untrusted text, shown as text. */
export interface TraceAnswer {
  readonly decrypted: boolean;
  /** The plaintext (when decrypted). */
  readonly content?: string;
  /** Feedback status and its message, from inside the encrypted content when the DVM put them there. */
  readonly status?: string;
  readonly statusMessage?: string;
  /** Why it could not be read (our words). */
  readonly error?: string;
}

function isTraceAnswer(value: unknown): value is TraceAnswer {
  return isRecord(value) && typeof value.decrypted === 'boolean'
    && ['content', 'status', 'statusMessage', 'error'].every((field) => value[field] === undefined || typeof value[field] === 'string');
}

const HEX64 = /^[0-9a-f]{64}$/;

export function isHexId(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

export function isTraceSubject(value: unknown): value is TraceSubject {
  return isRecord(value) && isHexId(value.requestId) && isHexId(value.asked);
}

export function isFromTrace(value: unknown): value is FromTrace {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'refresh':
    case 'export':
      return true;
    case 'openEvent':
      return isHexId(value.id);
    case 'revealDvm':
    case 'openDvmPage':
      return isHexId(value.pubkey);
    case 'sendTestJob':
      return isHexId(value.requestId);
    case 'copy':
      return (value.what === 'id' || value.what === 'nevent') && isHexId(value.id);
    default:
      return false;
  }
}

export function isToTrace(value: unknown): value is ToTrace {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'loading':
    case 'missing':
      return isTraceSubject(value.subject);
    case 'graph':
      return isFiniteNumber(value.readAt) && Number.isSafeInteger(value.version) && decoded(value, isTracePanelGraph);
    case 'delta':
      return isFiniteNumber(value.readAt) && Number.isSafeInteger(value.version) && Number.isSafeInteger(value.since) && decoded(value, isTraceDelta);
    case 'error':
    case 'notice':
      return typeof value.message === 'string';
    default:
      return false;
  }
}

/** Each message's wire expanded once: by the guard, which checks it, and then read by the page from here. */
const expanded = new WeakMap<object, unknown>();

function decoded(message: Record<string, unknown>, check: (value: unknown) => boolean): boolean {
  const value = expandJson(message.wire);
  if (value === undefined || !check(value)) return false;
  expanded.set(message, value);
  return true;
}

/** The trace of a `graph` message that passed the guard (isToTrace). */
export function traceGraphOf(message: Extract<ToTrace, { type: 'graph' }>): TracePanelGraph {
  return (expanded.get(message) ?? expandJson(message.wire)) as TracePanelGraph;
}

/** The delta of a `delta` message that passed the guard (isToTrace). */
export function traceDeltaOf(message: Extract<ToTrace, { type: 'delta' }>): TraceDelta {
  return (expanded.get(message) ?? expandJson(message.wire)) as TraceDelta;
}

/** A `graph` message for this trace (the host's side). */
export function graphMessage(graph: TracePanelGraph, version: number, readAt: number): Extract<ToTrace, { type: 'graph' }> {
  return { type: 'graph', wire: internJson(graph), version, readAt };
}

export function deltaMessage(delta: TraceDelta, since: number, version: number, readAt: number): Extract<ToTrace, { type: 'delta' }> {
  return { type: 'delta', wire: internJson(delta), since, version, readAt };
}

const NODE_TYPES = new Set<string>(TRACE_NODE_TYPES);
const EDGE_TYPES = new Set<string>(TRACE_EDGE_TYPES);

/**
 * The page indexes nodes by id and draws every one, so each is checked on arrival (a 320-event chain: ~500 nodes,
 * well under a millisecond); a malformed graph is refused, never half drawn.
 */
export function isTracePanelGraph(value: unknown): value is TracePanelGraph {
  if (!isRecord(value)) return false;
  if (!isHexId(value.askedId) || !isHexId(value.requestId) || typeof value.truncated !== 'boolean') return false;
  const { jobs, nodes, edges, timeline, dvms } = value;
  if (!Array.isArray(jobs) || !jobs.every(isJob)) return false;
  if (!Array.isArray(nodes) || !nodes.every(isNode)) return false;
  if (!Array.isArray(edges) || !edges.every(isEdge)) return false;
  if (!Array.isArray(timeline) || !timeline.every(isRow)) return false;
  return Array.isArray(dvms) && dvms.every(isDvm);
}

/** A delta is checked as a graph is: every item it carries, and where it goes. */
export function isTraceDelta(value: unknown): value is TraceDelta {
  if (!isRecord(value)) return false;
  if (!isHexId(value.askedId) || !isHexId(value.requestId) || typeof value.truncated !== 'boolean') return false;
  const placed = (list: unknown, check: (item: unknown) => boolean) => Array.isArray(list)
    && list.every((entry) => isRecord(entry) && Number.isSafeInteger(entry.index) && (entry.index as number) >= 0 && check(entry.item));
  return Array.isArray(value.jobs) && value.jobs.every(isJob) && placed(value.nodes, isNode) && placed(value.edges, isEdge)
    && placed(value.timeline, isRow) && placed(value.dvms, isDvm);
}

function isJob(job: unknown): boolean {
  return isRecord(job) && isHexId(job.requestId) && Array.isArray(job.parents) && typeof job.kindName === 'string';
}

function isEdge(edge: unknown): boolean {
  return isRecord(edge) && typeof edge.from === 'string' && typeof edge.to === 'string' && EDGE_TYPES.has(String(edge.type));
}

function isDvm(dvm: unknown): boolean {
  return isRecord(dvm) && isHexId(dvm.pubkey) && isHexId(dvm.requestId) && typeof dvm.nodeId === 'string' && typeof dvm.status === 'string';
}

function isNode(value: unknown): boolean {
  return isRecord(value) && typeof value.id === 'string' && NODE_TYPES.has(String(value.type)) && typeof value.label === 'string'
    && (value.status === undefined || typeof value.status === 'string')
    && (value.sats === undefined || isFiniteNumber(value.sats));
}

function isRow(value: unknown): boolean {
  return isRecord(value) && isHexId(value.id) && isHexId(value.pubkey) && isHexId(value.requestId) && Number.isSafeInteger(value.kind)
    && isFiniteNumber(value.createdAt) && typeof value.role === 'string' && !('event' in value)
    && (value.sinceRequestSec === null || isFiniteNumber(value.sinceRequestSec));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export const traceProtocol: PanelProtocol<ToTrace, FromTrace, TraceRequests> = {
  toWebview: isToTrace,
  fromWebview: isFromTrace,
  requests: {
    event: {
      params: (value): value is { id: string } => isRecord(value) && isHexId(value.id),
      result: (value): value is NostrEvent | null => value === null || (isRecord(value) && isHexId(value.id) && Array.isArray(value.tags) && typeof value.content === 'string'),
    },
    answer: {
      params: (value): value is { id: string } => isRecord(value) && isHexId(value.id),
      result: (value): value is TraceAnswer | null => value === null || isTraceAnswer(value),
    },
  },
};

/** The graph as the panel gets it: every timeline row without its signed event. */
export function panelGraph(graph: TraceGraph): TracePanelGraph {
  return { ...graph, timeline: graph.timeline.map(({ event: _event, ...row }) => row) };
}
