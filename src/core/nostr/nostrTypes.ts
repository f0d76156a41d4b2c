import type { DvmProfile } from './dvmNames';

/**
 * The core's Nostr figures: global metrics and the DVM, kind and job summaries the views list. Definitions:
 * ../shared/DESIGN.md "Nostr: definitions". Sats are whole sats (millisats / 1000, rounded down); times are unix
 * seconds. Every string that came from an event is untrusted text: render it as text.
 */

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

/** A row of the "recent jobs" quick pick (DVMDash's debug page). */
export interface RecentJob extends JobSummary {
  /** Profile name of `dvm`, untrusted text. */
  readonly dvmName?: string;
  /** DVMs that answered it. */
  readonly dvmCount: number;
}
