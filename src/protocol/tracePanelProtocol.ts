import type { NostrEvent, TraceFetchReport, TraceGraph, TraceTimelineRow } from './nostrProtocol';
import { TRACE_EDGE_TYPES, TRACE_NODE_TYPES } from './nostrProtocol';
import { isRecord, type PanelProtocol, type RequestSpec } from './webviewPanelProtocol';

/**
 * Messages between the job-trace panel (src/panels/tracePanel.ts) and its webview (webview/trace), inside the panel
 * envelope (webviewPanelProtocol.ts). Shared by both sides; no vscode and no DOM here.
 *
 * The host sends the trace as a `graph` state (replayed to every page that loads) and again, whole, whenever the
 * chain changes: the page adds what is new to what it draws. The signed events are left out of it (320 of them
 * are ~800 KB of JSON, most of the answer): the details pane asks for the one it shows with the `event` request.
 */

/** Which job a panel shows (one panel per job), and which of its events was asked for (highlighted). */
export interface TraceSubject {
  readonly requestId: string;
  readonly asked: string;
}

/** A timeline row without its signed event (the `event` request fetches it). */
export type TracePanelRow = Omit<TraceTimelineRow, 'event'>;

export interface TracePanelGraph extends Omit<TraceGraph, 'timeline'> {
  readonly timeline: readonly TracePanelRow[];
}

export type ToTrace =
  | { readonly type: 'loading'; readonly subject: TraceSubject }
  /** `readAt`: when the engine answered (ms since the epoch). */
  | { readonly type: 'graph'; readonly graph: TracePanelGraph; readonly readAt: number; readonly fetched?: TraceFetchReport }
  /** Nothing links the id to a job (any more): the event was evicted, or never stored. */
  | { readonly type: 'missing'; readonly subject: TraceSubject }
  | { readonly type: 'error'; readonly message: string }
  /** The outcome of something the page asked the host to do (copy, export): shown in the page's status line. */
  | { readonly type: 'notice'; readonly message: string };

export type FromTrace =
  | { readonly type: 'refresh' }
  /** The signed event's JSON in an editor tab. */
  | { readonly type: 'openEvent'; readonly id: string }
  /** The DVM's row in the DVMs tree. */
  | { readonly type: 'revealDvm'; readonly pubkey: string }
  /** The event's hex id, or its nevent (with the relays that carried it and its author), to the clipboard. */
  | { readonly type: 'copy'; readonly what: 'id' | 'nevent'; readonly id: string }
  /** Save the trace (signed events and graph) as JSON, through a save dialog. */
  | { readonly type: 'export' };

export interface TraceRequests {
  /** One signed event of the trace, for the details pane; null when the store no longer has it. */
  readonly event: RequestSpec<{ readonly id: string }, NostrEvent | null>;
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
      return isHexId(value.pubkey);
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
      return isFiniteNumber(value.readAt) && isTracePanelGraph(value.graph);
    case 'error':
    case 'notice':
      return typeof value.message === 'string';
    default:
      return false;
  }
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
  if (!Array.isArray(jobs) || !jobs.every((job) => isRecord(job) && isHexId(job.requestId) && Array.isArray(job.parents) && typeof job.kindName === 'string')) return false;
  if (!Array.isArray(nodes) || !nodes.every(isNode)) return false;
  if (!Array.isArray(edges) || !edges.every((edge) => isRecord(edge) && typeof edge.from === 'string' && typeof edge.to === 'string' && EDGE_TYPES.has(String(edge.type)))) return false;
  if (!Array.isArray(timeline) || !timeline.every(isRow)) return false;
  return Array.isArray(dvms) && dvms.every((dvm) => isRecord(dvm) && isHexId(dvm.pubkey) && isHexId(dvm.requestId) && typeof dvm.nodeId === 'string' && typeof dvm.status === 'string');
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
  },
};

/** The graph as the panel gets it: every timeline row without its signed event. */
export function panelGraph(graph: TraceGraph): TracePanelGraph {
  return { ...graph, timeline: graph.timeline.map(({ event: _event, ...row }) => row) };
}
