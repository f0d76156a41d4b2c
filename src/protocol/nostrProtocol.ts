import type { DvmProfile } from '../core/nostr/dvmNames';

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
  /** (job, DVM) pairs: jobs it answered at all. */
  readonly jobs: number;
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

export interface NostrMethods {
  'nostr.ingest': { params: { events: unknown[]; relay?: string }; result: IngestResult };
  /** `now` (unix seconds) moves the windows' end; tests and imports of old data use it. */
  'nostr.metrics': { params: { now?: number }; result: NostrMetrics };
  'nostr.dvms': { params: { limit?: number; offset?: number; now?: number }; result: DvmSummary[] };
  'nostr.dvm': { params: { pubkey: string; now?: number; limit?: number }; result: { summary: DvmSummary; recentJobs: JobSummary[] } | null };
  'nostr.kinds': { params: Record<string, never>; result: KindSummary[] };
  'nostr.kind': { params: { kind: number; now?: number }; result: { summary: KindSummary; dvms: DvmSummary[] } | null };
  /** id: hex, note1… or nevent1… (NIP-19). */
  'nostr.trace': { params: { id: string }; result: JobTrace | null };
  'nostr.event': { params: { id: string }; result: NostrEvent | null };
  /** Time series from the rollups: hourly or daily buckets, optionally for one kind or one DVM. */
  'nostr.series': {
    params: { bucket: 'hour' | 'day'; since?: number; until?: number; kind?: number; dvm?: string };
    result: SeriesPoint[];
  };
}

export const NOSTR_METHODS: readonly (keyof NostrMethods & string)[] = [
  'nostr.ingest', 'nostr.metrics', 'nostr.dvms', 'nostr.dvm', 'nostr.kinds', 'nostr.kind', 'nostr.trace', 'nostr.event', 'nostr.series',
];

export type NostrNotification =
  | { readonly topic: 'nostr.changed'; readonly payload: { dvms: string[]; kinds: number[]; jobs: string[] } }
  | { readonly topic: 'nostr.alert'; readonly payload: { pubkey: string; name?: string; message: string } };
