import type { NostrEvent } from './eventTypes';
import type { JobStatusText } from './nostrTypes';

/**
 * A job's trace and the trace graph of its chain (DESIGN.md "Trace graph"). Times are unix seconds; every string
 * that came from an event or a profile is untrusted text.
 */

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
  /** Direct parents: jobs whose output this one consumes (NIP-90 `i` tag of type `job`). */
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
