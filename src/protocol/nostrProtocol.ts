import type { DvmProfile } from '../core/nostr/dvmNames';
import { NOSTR_PAGE_METHODS, type NostrPageMethods } from './nostrPagesProtocol';
import type { HistoryBackfillStatus } from './historyBackfillProtocol';
import type { AwaitJobParams, AwaitJobResult, DvmAnnouncement, DvmChoice, PostedJobSummary, PublishParams, PublishResult } from './jobProtocol';

/**
 * Engine requests and notifications of the Nostr DVM half. Method names start with `nostr.`.
 * Definitions: ../shared/DESIGN.md "Nostr: definitions". Sats are whole sats (millisats / 1000, rounded down);
 * times are unix seconds. Every string that came from an event is untrusted text: render it as text.
 */

export interface NostrEvent {
  readonly id: string;
  readonly pubkey: string;
  readonly created_at: number;
  readonly kind: number;
  readonly tags: readonly (readonly string[])[];
  readonly content: string;
  readonly sig: string;
}

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  /** Count per reason: malformed, oversized, excluded-kind, not-dvm-kind, bad-id, bad-signature. */
  readonly rejected: Record<string, number>;
  /** The first few details per reason ("event <id>: kind is not an integer 0–65535"): our words, never event text. */
  readonly rejectDetails: Record<string, string[]>;
}

export type MetricsWindow = '1h' | '24h' | '7d' | '30d';
export const METRICS_WINDOWS: readonly MetricsWindow[] = ['1h', '24h', '7d', '30d'];

export interface DvmRef { readonly pubkey: string; readonly npub: string; readonly name?: string; readonly results: number }
export interface KindRef { readonly kind: number; readonly name: string; readonly count: number }

/** One scope of the global metrics (all-time, or one window). */
export interface NostrMetricsScope {
  readonly requests: number;
  readonly results: number;
  readonly feedback: number;
  /** Distinct request kinds that had requests / results. */
  readonly requestKinds: number;
  readonly resultKinds: number;
  /** Distinct DVM pubkeys (answered a job; all-time also: announced a job kind). */
  readonly dvms: number;
  /** DVMs with a NIP-89 profile (31990 announcing a job kind). */
  readonly profiles: number;
  /** Distinct request authors. */
  readonly users: number;
  readonly encryptedRequests: number;
  /** encryptedRequests / requests, null without requests. */
  readonly encryptedShare: number | null;
  /** By results delivered. */
  readonly mostPopularDvm: DvmRef | null;
  /** By requests (`count` = requests). */
  readonly mostPopularKind: KindRef | null;
  /** By distinct users (`count` = users). */
  readonly mostPopularKindByUsers: KindRef | null;
  /** Most distinct DVMs answering (`count` = DVMs). */
  readonly competitiveKind: KindRef | null;
  readonly satsRequested: number;
  /** Estimate (DVMDash): requested amounts on jobs where the same DVM delivered a result. */
  readonly satsEarned: number;
  /** Zap receipts (NIP-57) paying a job's feedback or result. */
  readonly satsProven: number;
  /** Of (job, DVM) pairs the DVM answered: share that got a result or `success` / an `error`. */
  readonly successRate: number | null;
  readonly errorRate: number | null;
  /** First result − request, per (job, DVM). */
  readonly medianResponseSec: number | null;
  readonly p90ResponseSec: number | null;
  /** First feedback − request, per (job, DVM). */
  readonly medianFeedbackSec: number | null;
  readonly p90FeedbackSec: number | null;
}

export interface NostrMetrics extends NostrMetricsScope {
  readonly generatedAt: number;
  /**
   * Windows end at `generatedAt`. Counts, sats, rates, kinds and DVMs come from the rollups (the window starts at
   * the top of the hour it falls in); users (and kind by users) are exact to the second. Response-time median and
   * p90 of a window are estimates from per-hour histograms (log-spaced slots: exact below 64 s, within 4.4 % above)
   * of the (job, DVM) pairs first answered in those hours; the all-time ones are exact, over every pair ever seen.
   */
  readonly windows: Readonly<Record<MetricsWindow, NostrMetricsScope>>;
}

/** A DVM as the views list it: its profile (DESIGN.md "Profile") and its figures. */
export interface DvmSummary extends Pick<DvmProfile, 'name' | 'about' | 'picture' | 'lud16' | 'encryptionSupported' | 'cashuAccepted' | 'hasProfile'> {
  readonly pubkey: string;
  readonly npub: string;
  /** Kinds it answered or announced, ascending. */
  readonly kinds: number[];
  /** DESIGN.md "A DVM's jobs": the distinct requests it sent feedback or a result for. */
  readonly jobs: number;
  /** Requests addressed to it (`p` tag) in the last 24 h, unanswered and not cancelled: waiting on it, not among its jobs. */
  readonly waiting: number;
  readonly results: number;
  readonly errors: number;
  readonly successRate: number | null;
  readonly medianResponseSec: number | null;
  readonly p90ResponseSec: number | null;
  readonly satsRequested: number;
  readonly satsEarned: number;
  readonly satsProven: number;
  /** Newest sign of life: an answer or a heartbeat (kind 11998). */
  readonly lastSeen: number | null;
  readonly status: 'up' | 'silent' | 'unknown';
  readonly pinned: boolean;
}

export type JobStatusText = 'payment-required' | 'processing' | 'partial' | 'error' | 'success' | 'result-delivered' | 'cancelled' | 'waiting';

export interface JobSummary {
  readonly requestId: string;
  readonly kind: number;
  readonly kindName: string;
  /** Request author; '' when the request has not been seen. */
  readonly customer: string;
  readonly createdAt: number;
  readonly status: JobStatusText;
  readonly dvm?: string;
  readonly responseSec: number | null;
  readonly encrypted: boolean;
  /** The request's first `i` value (cut to 200 characters) while the raw request is kept; none in clear when encrypted. */
  readonly input?: string;
  /** The customer's profile name, when it published one, and npub. */
  readonly customerName?: string;
  readonly customerNpub?: string;
}

export interface KindSummary {
  readonly kind: number;
  readonly name: string;
  readonly nameSource: 'registry' | 'announced' | 'none';
  readonly requests: number;
  readonly results: number;
  readonly dvms: number;
  readonly users: number;
}

export interface TraceEvent {
  readonly id: string;
  readonly kind: number;
  readonly role: 'request' | 'feedback' | 'result' | 'zap' | 'deletion' | 'other';
  readonly pubkey: string;
  readonly createdAt: number;
  /** Feedback status, or 'result-delivered' for a result. */
  readonly status?: string;
  readonly amountSats?: number;
  readonly bolt11?: string;
  readonly amountMismatch?: boolean;
  readonly amountProblem?: string;
  readonly relays: string[];
  readonly event: NostrEvent;
}

export interface ChainLink {
  readonly requestId: string;
  readonly kind: number | null;
  readonly kindName: string;
  /** 1 = direct parent / child. */
  readonly depth: number;
  readonly via: string;
}

export interface TraceDvm {
  readonly pubkey: string;
  readonly npub: string;
  readonly name?: string;
  readonly status: JobStatusText;
  readonly responseSec: number | null;
  readonly feedbackSec: number | null;
  readonly satsRequested: number;
  readonly amountMismatch: boolean;
  readonly satsProven: number;
}

export interface JobTrace {
  readonly requestId: string;
  /** The id asked for, when it was a result or feedback of this job. */
  readonly askedId: string;
  readonly request: NostrEvent | null;
  readonly kind: number | null;
  readonly kindName: string;
  readonly customer: string | null;
  readonly createdAt: number | null;
  readonly encrypted: boolean;
  readonly encryptionScheme: 'nip04' | 'nip44' | 'unknown' | null;
  readonly cancelled: boolean;
  /** Ordered by created_at, then job stage (request, payment-required … result, zap, deletion), then arrival. */
  readonly events: TraceEvent[];
  readonly parents: ChainLink[];
  readonly children: ChainLink[];
  readonly dvms: TraceDvm[];
}

/** Trace graph (DESIGN.md "Trace graph"): what `nostr.traceGraph` returns, the panel draws and `trace --json` prints. */
export type TraceNodeType = 'customer' | 'request' | 'dvm' | 'feedback' | 'invoice' | 'zap' | 'result' | 'cancellation';
export const TRACE_NODE_TYPES: readonly TraceNodeType[] = ['customer', 'request', 'dvm', 'feedback', 'invoice', 'zap', 'result', 'cancellation'];

/**
 * Edge directions (`from` → `to`):
 * - requested: customer → request, and request → dvm (a DVM the job reached: addressed by `p` tag, or answering);
 * - feedback-for / result-for: feedback / result → the dvm node of its job (one dvm node per job and DVM, so
 *   each DVM's answers stay grouped; the dvm node links on to the request);
 * - invoice-of: invoice → the feedback (or result) carrying its `amount` tag;
 * - paid-by: the zapped event's invoice (else the zapped event; else, for a zapped request, the dvm) → zap;
 * - sub-job-of: child request → parent request (NIP-90 chaining, `i` tag of type `job`);
 * - cancelled-by: request → cancellation (NIP-09 deletion by the request's author).
 */
export type TraceEdgeType = 'requested' | 'feedback-for' | 'invoice-of' | 'paid-by' | 'result-for' | 'sub-job-of' | 'cancelled-by';
export const TRACE_EDGE_TYPES: readonly TraceEdgeType[] = ['requested', 'feedback-for', 'invoice-of', 'paid-by', 'result-for', 'sub-job-of', 'cancelled-by'];

/** A BOLT11 invoice as light-bolt11-decoder reads it; fields absent when the invoice lacks them. */
export interface Bolt11Details {
  readonly invoice: string;
  readonly amountMsats?: number;
  readonly amountSats?: number;
  /** Unix seconds the invoice was made, and when it expires (timestamp + expiry; BOLT #11 default 3600 s). */
  readonly createdAt?: number;
  readonly expirySec?: number;
  readonly expiresAt?: number;
  /** Untrusted text. */
  readonly description?: string;
  readonly paymentHash?: string;
}

export interface TraceNode {
  /** Stable across calls (`<type>:<event id>`, `customer:<pubkey>`, `dvm:<request id>:<pubkey>`), for live updates. */
  readonly id: string;
  readonly type: TraceNodeType;
  /** May hold names from profiles: untrusted text. */
  readonly label: string;
  readonly eventId?: string;
  readonly pubkey?: string;
  /** The job (request id) the node belongs to; absent for customers. */
  readonly requestId?: string;
  readonly kind?: number;
  readonly createdAt?: number;
  /** Feedback status; a dvm node's job status (JobStatusText); a request's 'cancelled' when it was. */
  readonly status?: string;
  readonly sats?: number;
  readonly bolt11?: Bolt11Details;
  readonly amountMismatch?: boolean;
  /** The event (or named request) the trace was asked for. */
  readonly asked?: boolean;
  /** A request named by responses or sub-jobs but not stored: drawn as an unknown request. */
  readonly missing?: boolean;
}

export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  readonly type: TraceEdgeType;
}

/** One event of the chain, in timeline order (created_at, then job stage, then arrival). */
export interface TraceTimelineRow extends TraceEvent {
  /** The job of the chain it belongs to. */
  readonly requestId: string;
  /** The node drawing it; absent for events the graph leaves out (a deletion by someone else than the customer). */
  readonly nodeId?: string;
  /** Seconds since its job's request (null while the request is unknown); may be negative (clocks disagree). */
  readonly sinceRequestSec: number | null;
  /** Profile name of the author, untrusted text. */
  readonly authorName?: string;
  readonly asked: boolean;
}

/** One DVM on one job of the chain, with what only the events tell. */
export interface TraceDvmSummary extends TraceDvm {
  readonly requestId: string;
  readonly nodeId: string;
  /** It asked for payment (payment-required) and delivered no result. */
  readonly paymentWithoutResult: boolean;
  /** It delivered a result without ever asking for payment. */
  readonly resultWithoutPayment: boolean;
  /** The message of its latest `error` feedback (status tag, else content), untrusted text. */
  readonly errorMessage?: string;
}

export interface TraceJob {
  readonly requestId: string;
  readonly kind: number | null;
  readonly kindName: string;
  readonly customer: string | null;
  readonly createdAt: number | null;
  readonly cancelled: boolean;
  readonly encrypted: boolean;
  /** Direct parents (`i` tags of type `job`). */
  readonly parents: readonly string[];
  readonly missing: boolean;
}

export interface TraceGraph {
  readonly askedId: string;
  /** The job of the asked event. */
  readonly requestId: string;
  /** Every job of the chain (both directions, any depth), parents before children. */
  readonly jobs: readonly TraceJob[];
  readonly nodes: readonly TraceNode[];
  readonly edges: readonly TraceEdge[];
  readonly timeline: readonly TraceTimelineRow[];
  readonly dvms: readonly TraceDvmSummary[];
  /** The chain was cut at its size limit (jobs or events). */
  readonly truncated: boolean;
}

/** The one-shot fetch of an event missing from the database (`nostr.traceGraph` with `fetch`). */
export interface TraceFetchReport {
  readonly relays: readonly { readonly url: string; readonly events: number; readonly error?: string }[];
  /** Events received over all relays (duplicates across relays included). */
  readonly received: number;
  readonly accepted: number;
}

export interface TraceGraphResult {
  /** null: nothing links the id to a job, even after the fetch. */
  readonly graph: TraceGraph | null;
  readonly fetched?: TraceFetchReport;
}

/** A row of the "recent jobs" quick pick (DVMDash's debug page). */
export interface RecentJob extends JobSummary {
  /** Profile name of `dvm`, untrusted text. */
  readonly dvmName?: string;
  /** DVMs that answered it. */
  readonly dvmCount: number;
}

export interface SeriesPoint {
  readonly bucket: number;
  readonly requests: number;
  readonly results: number;
  readonly feedback: number;
  readonly successes: number;
  readonly errors: number;
  readonly encrypted: number;
  readonly satsRequested: number;
  readonly satsEarned: number;
  readonly satsProven: number;
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
