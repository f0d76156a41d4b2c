import { neventEncode } from 'nostr-tools/nip19';
import type { TraceGraph, TraceTimelineRow } from '../protocol/nostrProtocol';

/** What "Export" saves: every signed event of the chain (verifiable on their own) and the graph drawn from them. */
export interface TraceExport {
  readonly format: 'swarmscope-trace';
  readonly version: 1;
  /** ISO time of the export. */
  readonly exportedAt: string;
  readonly askedId: string;
  readonly requestId: string;
  /** Signed events in timeline order, exactly as stored (NIP-01). */
  readonly events: readonly TraceTimelineRow['event'][];
  /** The graph as `swarmscope trace --json` and the panel have it, timeline rows without their events (above). */
  readonly graph: Omit<TraceGraph, 'timeline'> & { readonly timeline: readonly Omit<TraceTimelineRow, 'event'>[] };
}

export function traceExport(graph: TraceGraph, now = new Date()): TraceExport {
  return {
    format: 'swarmscope-trace',
    version: 1,
    exportedAt: now.toISOString(),
    askedId: graph.askedId,
    requestId: graph.requestId,
    events: graph.timeline.map((row) => row.event),
    graph: { ...graph, timeline: graph.timeline.map(({ event: _event, ...row }) => row) },
  };
}

/** A file name for the save dialog: the job's id is enough to tell traces apart. */
export function exportFileName(requestId: string): string {
  return `trace-${requestId.slice(0, 12)}.json`;
}

/** Relays that carried an event are hints, not all of them: NIP-19 readers take a few. */
const NEVENT_RELAYS = 3;

/** NIP-19 `nevent1…` of a timeline row: id, author, kind and the relays the event came from. */
export function neventOf(row: Pick<TraceTimelineRow, 'id' | 'pubkey' | 'kind' | 'relays'>): string {
  const relays = row.relays.filter((url) => /^wss?:\/\//i.test(url)).slice(0, NEVENT_RELAYS);
  return neventEncode({ id: row.id, author: row.pubkey, kind: row.kind, relays });
}
