import type { JobStatusText } from './nostrTypes';
import type { ActivitySeries } from './seriesTypes';

/**
 * The DVM, kind and user pages (issue 12; DESIGN.md "Nostr: definitions"). Sats are whole sats (millisats / 1000,
 * rounded down), times unix seconds, response times whole seconds with nearest-rank percentiles. Every string that
 * came from an event or a profile (names, about, picture URLs, relay URLs, nip90Params, error messages) is untrusted
 * text: show it as text, never load or run it.
 *
 * Each figure says what it covers: `all-time` figures are counted at ingest and never shrink; per-kind and per-DVM
 * breakdowns sum the (job, DVM) pairs kept (the history window, `swarmscope.storage.historyDays`, and pinned DVMs
 * for ever); series come from rollups whose resolution and reach the answer names (`SeriesCoverage`).
 */

/** Response-time and money figures of a set of (job, DVM) pairs. */
export interface PairFigures {
  /** Distinct requests the DVM sent feedback or a result for (DESIGN.md "A DVM's jobs"). */
  readonly jobs: number;
  /** Result events. */
  readonly results: number;
  /** Jobs that got at least one result. */
  readonly jobsWithResult: number;
  /** Jobs that reached a result or `success`. */
  readonly successes: number;
  /** Jobs it sent an `error` for. */
  readonly errors: number;
  /** successes / jobs; null without jobs. */
  readonly successRate: number | null;
  readonly p50ResponseSec: number | null;
  readonly p90ResponseSec: number | null;
  /** First feedback − request. */
  readonly p50FeedbackSec: number | null;
  readonly p90FeedbackSec: number | null;
  readonly satsRequested: number;
  /** Requested on jobs where it delivered a result (DVMDash's estimate). */
  readonly satsEarned: number;
  /** Zap receipts paying the job's feedback or result. */
  readonly satsProven: number;
}

export interface DvmKindFigures extends PairFigures {
  /** Request kind; -1 for pairs whose request and kind are unknown (feedback without its request or a `k` tag). */
  readonly kind: number;
  readonly name: string;
  /** Requests of this kind addressed to it (`p` tag) in the last `waitingWindowSec`, unanswered and not cancelled. */
  readonly waiting: number;
  /** Asked for payment, no zap receipt proves one, no result. */
  readonly unpaidJobs: number;
  /** A zap receipt proves a payment, and no result came. */
  readonly paidWithoutResult: number;
}

export interface DvmProfileCard {
  readonly name?: string;
  readonly about?: string;
  /** A URL as text: never fetched by the engine. */
  readonly picture?: string;
  readonly lud16?: string;
  readonly encryptionSupported?: boolean;
  readonly cashuAccepted?: boolean;
  /** The handler's `nip90Params`, parsed JSON (untrusted data). */
  readonly nip90Params?: unknown;
  readonly announcedKinds: readonly { readonly kind: number; readonly name: string }[];
  /** ws:// / wss:// URLs its handler names (relays tags, r tags, content.relays); empty when it names none. */
  readonly relays: readonly string[];
  /** A NIP-89 handler (31990) announcing a job kind exists; otherwise the card comes from kind 0, if any. */
  readonly hasProfile: boolean;
  /** created_at of its newest handler. */
  readonly updatedAt: number | null;
}

export interface DvmLiveness {
  readonly status: 'up' | 'silent' | 'unknown';
  /** Newest answer or heartbeat. */
  readonly lastSeen: number | null;
  readonly unansweredSince?: number;
  readonly lastResultAt: number | null;
  readonly lastFeedbackAt: number | null;
  /** Newest heartbeat (kind 11998) and its NIP-40 `expiration`, when the raw event is still kept. */
  readonly lastHeartbeatAt: number | null;
  readonly heartbeatExpiresAt: number | null;
  readonly heartbeatExpired: boolean;
  /** Requests addressed to it in the last `waitingWindowSec`, unanswered and not cancelled. */
  readonly waiting: number;
  readonly waitingWindowSec: number;
}

/** A job on a problem list, to open its trace. */
export interface ProblemJob {
  readonly requestId: string;
  readonly kind: number;
  readonly at: number;
  readonly sats: number;
}

export interface ErrorMessageCount {
  /** Untrusted text, cut to 300 characters. */
  readonly message: string;
  readonly count: number;
  readonly lastAt: number;
  /** The newest job that got it. */
  readonly requestId: string;
}

export interface DvmProblems {
  readonly unpaidInvoices: { readonly jobs: number; readonly sats: number; readonly recent: readonly ProblemJob[] };
  readonly paidWithoutResult: { readonly jobs: number; readonly sats: number; readonly recent: readonly ProblemJob[] };
  /** Most frequent first; read from the error feedback still kept raw on its newest `errorJobsScanned` errored jobs. */
  readonly errorMessages: readonly ErrorMessageCount[];
  readonly errorJobsScanned: number;
}

/** One event the DVM sent on a job, newest first. */
export interface DvmRecentEvent {
  readonly id: string;
  readonly kind: number;
  readonly role: 'result' | 'feedback';
  readonly createdAt: number;
  /** The job: opens its trace. */
  readonly requestId: string;
  /** Feedback status (untrusted when not a NIP-90 status), or 'result-delivered'. */
  readonly status?: string;
  readonly amountSats?: number;
}

export interface DvmTotals {
  readonly jobs: number;
  readonly results: number;
  readonly successes: number;
  readonly errors: number;
  readonly successRate: number | null;
  readonly satsRequested: number;
  readonly satsEarned: number;
  readonly satsProven: number;
  readonly firstSeen: number;
}

export interface DvmPage {
  readonly pubkey: string;
  readonly npub: string;
  readonly name?: string;
  readonly generatedAt: number;
  readonly profile: DvmProfileCard;
  readonly liveness: DvmLiveness;
  /** All-time, counted at ingest. */
  readonly totals: DvmTotals;
  /** Per request kind, over the pairs kept (`kindsFrom` on); busiest first. */
  readonly kinds: readonly DvmKindFigures[];
  /** Oldest pair kept (null: none). */
  readonly kindsFrom: number | null;
  readonly problems: DvmProblems;
  readonly jobsOverTime: ActivitySeries;
  /** Its 100 newest events on its newest jobs, from the raw events kept. */
  readonly recent: readonly DvmRecentEvent[];
}

export interface KindDvmFigures extends PairFigures {
  readonly pubkey: string;
  readonly npub: string;
  readonly name?: string;
  readonly status: 'up' | 'silent' | 'unknown';
  /** Its handler announces the kind. */
  readonly announced: boolean;
}

export interface KindJob {
  readonly requestId: string;
  readonly createdAt: number;
  readonly status: JobStatusText;
  readonly customer: string;
  /** The DVM whose status moved last, and how many answered. */
  readonly dvm?: string;
  readonly dvmName?: string;
  readonly dvmCount: number;
  readonly responseSec: number | null;
  readonly encrypted: boolean;
}

export interface KindPage {
  /** Request kind (a result kind asked for is mapped to it: 6xxx → 5xxx). */
  readonly kind: number;
  readonly askedKind: number;
  readonly name: string;
  readonly nameSource: 'registry' | 'announced' | 'none';
  /** Names DVMs announce for it, newest handler first (untrusted). */
  readonly announcedNames: readonly string[];
  readonly generatedAt: number;
  /** All-time. */
  readonly requests: number;
  readonly results: number;
  readonly feedback: number;
  readonly users: number;
  /** Distinct DVMs that ever answered it (all-time), its rank by that among request kinds (1 = most), and the leader. */
  readonly competition: { readonly dvms: number; readonly rank: number | null; readonly of: number; readonly mostCompetitiveKind: number | null };
  /** DVMs with jobs of this kind kept, busiest first, then DVMs that only announce it. */
  readonly dvms: readonly KindDvmFigures[];
  readonly dvmsFrom: number | null;
  readonly overTime: ActivitySeries;
  readonly recentJobs: readonly KindJob[];
}

export interface UserJob extends KindJob {
  readonly kind: number;
  readonly kindName: string;
}

export interface UserDvmFigures {
  readonly pubkey: string;
  readonly npub: string;
  readonly name?: string;
  /** Of the user's jobs scanned: how many it answered (jobs), its result events, jobs that succeeded / failed, sats it asked and zaps proved paid. */
  readonly jobs: number;
  readonly results: number;
  readonly successes: number;
  readonly errors: number;
  readonly satsRequested: number;
  readonly satsProven: number;
  readonly lastAt: number;
}

export interface UserPage {
  readonly pubkey: string;
  readonly npub: string;
  readonly name?: string;
  /** All-time requests and when they started and last asked. */
  readonly requests: number;
  readonly firstSeen: number | null;
  readonly lastAt: number | null;
  /** All-time requests per kind, most first. */
  readonly kinds: readonly { readonly kind: number; readonly name: string; readonly requests: number }[];
  /** Newest first, at most `limit`. */
  readonly jobs: readonly UserJob[];
  /** DVMs that answered its newest `jobsScanned` jobs, most jobs first. */
  readonly dvms: readonly UserDvmFigures[];
  readonly jobsScanned: number;
}

/** DVMDash v0.1's "recent requests": the newest jobs of every kind. */
export interface RecentKindJobs {
  readonly kind: number;
  readonly name: string;
  readonly jobs: readonly KindJob[];
}
