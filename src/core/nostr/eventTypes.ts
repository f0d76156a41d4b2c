/**
 * A Nostr event as NIP-01 defines it, and what ingesting a batch of them did. Every string of an event is untrusted
 * text. This file imports nothing, so that the event helpers can use the type without an import loop.
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
