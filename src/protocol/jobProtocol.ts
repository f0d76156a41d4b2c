import type { JobStatusText } from '../core/nostr/nostrTypes';
import type { RelayPublishResult } from '../core/jobs/jobTypes';

// The core owns these data types (issue 14); they are re-exported so that callers of the protocol keep one import.
export type { AnnouncedParam, DvmAnnouncement, DvmChoice, PostedJobSummary, RelayPublishResult } from '../core/jobs/jobTypes';

/**
 * Posting a job (issue 11): what the engine is asked and answers. The engine never sees a secret key: the caller
 * (the extension host, the CLI) signs the event where the key is and hands over the signed event only.
 */

export interface PublishParams {
  /** Signed: a job request (kind 5000–5999) or a deletion of one (kind 5). It passes the normal verified ingest first. */
  readonly event: unknown;
  /** ws:// or wss:// relays to publish to (and to watch on). */
  readonly relays: readonly string[];
  /** For a job request: keep a subscription to its feedback and results (`#e`) open this long; 0 or absent: none. */
  readonly watchSeconds?: number;
}

export interface PublishResult {
  readonly id: string;
  readonly kind: number;
  /** `duplicate`: the database had it already (a re-publish). */
  readonly stored: 'new' | 'duplicate';
  readonly relays: readonly RelayPublishResult[];
  /** Unix ms until which its feedback and results are being watched for; absent when not watched. */
  readonly watchingUntil?: number;
}

/** Waits until each DVM named (or, when none is named, any DVM) has finished the job: a result, success or error. */
export interface AwaitJobParams {
  readonly id: string;
  readonly timeoutMs: number;
  readonly dvms?: readonly string[];
}

export interface AwaitJobResult {
  readonly settled: boolean;
  /** The job's status per DVM that answered, as the trace shows it. */
  readonly dvms: readonly { readonly pubkey: string; readonly status: JobStatusText }[];
}

