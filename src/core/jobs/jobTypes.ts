import type { JobStatusText } from '../nostr/nostrTypes';

/**
 * Posting a job (issue 11): what relays answered, what a DVM announces for it, the picker's DVMs and "My jobs".
 * The engine never sees a secret key: the caller signs the event where the key is.
 */

/** What one relay said to our EVENT (NIP-01 `OK`), or why it never could. */
export interface RelayPublishResult {
  readonly url: string;
  /**
   * ok: `OK true`; rejected: `OK false` (the relay's reason in `message`); timeout: no `OK` in time;
   * failed: no connection (why in `message`).
   */
  readonly outcome: 'ok' | 'rejected' | 'timeout' | 'failed';
  /** The relay's own words for ok / rejected (untrusted text, one line), or our reason for timeout / failed. */
  readonly message?: string;
  /** From sending the EVENT to the relay's `OK`: the relay's round trip for this event. */
  readonly ms?: number;
}

/** A param a DVM announces in its NIP-89 profile (`nip90Params`: `{ name: { required, values, … } }`). */
export interface AnnouncedParam {
  readonly name: string;
  readonly required: boolean;
  /** Allowed values, when it lists them. Untrusted text. */
  readonly values: readonly string[];
  readonly description?: string;
  readonly default?: string;
}

/** What a target DVM announces for posting a job to it (DESIGN.md "Profile"). Every string is untrusted text. */
export interface DvmAnnouncement {
  readonly pubkey: string;
  readonly name?: string;
  /** Job kinds it announces. */
  readonly kinds: readonly number[];
  readonly encryptionSupported: boolean;
  /** Schemes it takes encrypted jobs in: NIP-04 whenever it supports encryption, NIP-44 when it says so. */
  readonly encryptionSchemes: readonly ('nip04' | 'nip44')[];
  readonly params: readonly AnnouncedParam[];
  /** ws:// / wss:// relays its handler announcement names (a `relays` tag or a `relays` list in its content). */
  readonly relays: readonly string[];
}

/** A job the user posted through `nostr.publish` ("My jobs"), newest first. Strings from events are untrusted text. */
export interface PostedJobSummary {
  readonly requestId: string;
  readonly kind: number;
  readonly kindName: string;
  /** Unix seconds it was posted (the request's created_at). */
  readonly createdAt: number;
  /** The status of the DVM whose status moved last; `waiting` before any answer, `cancelled` once deleted. */
  readonly status: JobStatusText;
  readonly encrypted: boolean;
  /** DVMs that answered it. */
  readonly dvmCount: number;
  /** Its first `i` tag in clear (value cut to 200 characters, and its type); none for an encrypted job. */
  readonly input?: { readonly data: string; readonly type: string };
  /** Millisats that zap receipts (NIP-57, kind 9735) prove were paid for it; 0 when none arrived. */
  readonly paidMsats: number;
  readonly zaps: number;
}

/** A DVM as the target picker offers it (DESIGN.md "Liveness"); its median response time comes apart (`nostr.dvmMedians`). */
export interface DvmChoice {
  readonly pubkey: string;
  /** Its profile name; untrusted text. */
  readonly name?: string;
  /** Job kinds it answered or announced, ascending. */
  readonly kinds: readonly number[];
  readonly status: 'up' | 'silent' | 'unknown';
}
