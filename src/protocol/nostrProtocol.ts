import type { IngestResult, NostrEvent } from '../core/nostr/eventTypes';
import type { DvmSummary, JobSummary, KindSummary, NostrMetrics, RecentJob } from '../core/nostr/nostrTypes';
import type { JobTrace, TraceFetchReport, TraceGraph } from '../core/nostr/traceTypes';
import type { SeriesPoint } from '../core/nostr/seriesTypes';
import type { HistoryBackfillStatus } from '../core/nostr/historyBackfillTypes';
import type { DvmAnnouncement, DvmChoice, PostedJobSummary } from '../core/jobs/jobTypes';
import { NOSTR_PAGE_METHODS, type NostrPageMethods } from './nostrPagesProtocol';
import type { AwaitJobParams, AwaitJobResult, PublishParams, PublishResult } from './jobProtocol';

// The core owns these data types (issue 14); they are re-exported so that callers of the protocol keep one import.
export type { IngestResult, NostrEvent } from '../core/nostr/eventTypes';
export type {
  DvmRef, DvmSummary, JobStatusText, JobSummary, KindRef, KindSummary, MetricsWindow, NostrMetrics, NostrMetricsScope, RecentJob,
} from '../core/nostr/nostrTypes';
export { METRICS_WINDOWS } from '../core/nostr/nostrTypes';
export type {
  Bolt11Details, ChainLink, JobTrace, TraceDvm, TraceDvmSummary, TraceEdge, TraceEdgeType, TraceEvent, TraceFetchReport,
  TraceGraph, TraceJob, TraceNode, TraceNodeType, TraceTimelineRow,
} from '../core/nostr/traceTypes';
export { TRACE_EDGE_TYPES, TRACE_NODE_TYPES } from '../core/nostr/traceTypes';
export type { SeriesPoint } from '../core/nostr/seriesTypes';

/**
 * Engine requests and notifications of the Nostr DVM half. Method names start with `nostr.`.
 * Definitions: ../shared/DESIGN.md "Nostr: definitions". Sats are whole sats (millisats / 1000, rounded down);
 * times are unix seconds. Every string that came from an event is untrusted text: render it as text.
 */

export interface TraceGraphResult {
  /** null: nothing links the id to a job, even after the fetch. */
  readonly graph: TraceGraph | null;
  readonly fetched?: TraceFetchReport;
}

/** The page requests (DVM, kind, user, activity series) are declared in nostrPagesProtocol.ts. */
export interface NostrMethods extends NostrPageMethods {
  'nostr.ingest': { params: { events: unknown[]; relay?: string }; result: IngestResult };
  /** `now` (unix seconds) moves the windows' end; tests and imports of old data use it. */
  'nostr.metrics': { params: { now?: number }; result: NostrMetrics };
  'nostr.dvms': { params: { limit?: number; offset?: number; now?: number }; result: DvmSummary[] };
  'nostr.dvm': { params: { pubkey: string; now?: number; limit?: number }; result: { summary: DvmSummary; recentJobs: JobSummary[] } | null };
  'nostr.kinds': { params: Record<string, never>; result: KindSummary[] };
  'nostr.kind': { params: { kind: number; now?: number }; result: { summary: KindSummary; dvms: DvmSummary[] } | null };
  /** id: hex, note1… or nevent1… (NIP-19). */
  'nostr.trace': { params: { id: string }; result: JobTrace | null };
  /**
   * The graph, timeline and per-DVM summaries of the job an event belongs to, and of its whole chain. With
   * `fetch`, an event not in the database is first fetched (with its related events) from the nevent's relay
   * hints and `relays` (default: the configured relays), verified and stored like collected ones.
   */
  'nostr.traceGraph': { params: { id: string; fetch?: boolean; relays?: string[] }; result: TraceGraphResult };
  /** The newest jobs (by request time), for a quick pick; at most 500. */
  'nostr.recentJobs': { params: { limit?: number }; result: RecentJob[] };
  'nostr.event': { params: { id: string }; result: NostrEvent | null };
  /** Time series from the rollups: hourly or daily buckets, optionally for one kind or one DVM. */
  'nostr.series': {
    params: { bucket: 'hour' | 'day'; since?: number; until?: number; kind?: number; dvm?: string };
    result: SeriesPoint[];
  };
  /** Posting a job (jobProtocol.ts): a signed job request or deletion, verified, stored, published; its answers watched. */
  'nostr.publish': { params: PublishParams; result: PublishResult };
  'nostr.stopWatching': { params: { id: string }; result: { stopped: boolean } };
  'nostr.awaitJob': { params: AwaitJobParams; result: AwaitJobResult };
  /** What a DVM announces for posting a job to it (params, encryption, relays); null when the store knows nothing of it. */
  'nostr.dvmAnnouncement': { params: { pubkey: string }; result: DvmAnnouncement | null };
  /** The playground's target picker: known DVMs (busiest first) with only name, kinds, liveness and median response. */
  'nostr.dvmChoices': { params: { limit?: number; now?: number }; result: DvmChoice[] };
  /** Each DVM's median response time (null: none yet), for the picker after its list: on a store of months it costs seconds. */
  'nostr.dvmMedians': { params: { pubkeys: string[] }; result: Record<string, number | null> };
  /** "My jobs": the job requests posted through `nostr.publish`, newest first (at most 500). */
  'nostr.postedJobs': { params: { limit?: number }; result: PostedJobSummary[] };
  /** A job you posted, as signed: for posting it again (kept beyond the raw window); null when it was not posted here. */
  'nostr.postedRequest': { params: { id: string }; result: NostrEvent | null };
  /** The history backfill (historyBackfillProtocol.ts): its progress; cancel stops it until started again. */
  'nostr.historyBackfill': { params: Record<string, never>; result: HistoryBackfillStatus };
  'nostr.cancelHistoryBackfill': { params: Record<string, never>; result: HistoryBackfillStatus };
  'nostr.startHistoryBackfill': { params: Record<string, never>; result: HistoryBackfillStatus };
}

export const NOSTR_METHODS: readonly (keyof NostrMethods & string)[] = [
  ...NOSTR_PAGE_METHODS,
  'nostr.ingest', 'nostr.metrics', 'nostr.dvms', 'nostr.dvm', 'nostr.kinds', 'nostr.kind', 'nostr.trace', 'nostr.traceGraph', 'nostr.recentJobs', 'nostr.event', 'nostr.series',
  'nostr.historyBackfill', 'nostr.cancelHistoryBackfill', 'nostr.startHistoryBackfill',
  'nostr.publish', 'nostr.stopWatching', 'nostr.awaitJob', 'nostr.dvmAnnouncement', 'nostr.dvmChoices', 'nostr.dvmMedians', 'nostr.postedJobs', 'nostr.postedRequest',
];

export type NostrNotification =
  | { readonly topic: 'nostr.changed'; readonly payload: { dvms: string[]; kinds: number[]; jobs: string[] } }
  /** After every stored page of the history backfill, and when it starts, stops or ends. */
  | { readonly topic: 'nostr.historyBackfill'; readonly payload: HistoryBackfillStatus }
  | { readonly topic: 'nostr.alert'; readonly payload: { pubkey: string; name?: string; message: string } }
  /** A job request was posted through `nostr.publish` (by any window or CLI process that shares this engine). */
  | { readonly topic: 'nostr.posted'; readonly payload: { id: string } };
