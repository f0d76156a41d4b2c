import { isHex64, type NostrEvent } from './nostrEvent';

/** Events larger than this (canonical JSON, in UTF-16 code units ≈ bytes for ASCII) are dropped as `oversized`. */
export const MAX_EVENT_JSON_LENGTH = 64 * 1024;

export type ShapeResult = { readonly ok: true; readonly event: NostrEvent } | { readonly ok: false; readonly reason: 'malformed'; readonly detail: string };

const SIG = /^[0-9a-f]{128}$/;

/**
 * NIP-01 shape: id/pubkey 64-hex, sig 128-hex, kind and created_at integers, tags string[][], content string.
 * Returns a fresh plain object holding only those fields, so no marker a library set on the input (nostr-tools'
 * `verifiedSymbol`) and no extra property survives into verification or storage.
 */
export function checkShape(value: unknown): ShapeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not an object');
  const raw = value as Record<string, unknown>;
  if (!isHex64(raw.id)) return bad('id is not 64 lower-case hex');
  if (!isHex64(raw.pubkey)) return bad('pubkey is not 64 lower-case hex');
  if (typeof raw.sig !== 'string' || !SIG.test(raw.sig)) return bad('sig is not 128 lower-case hex');
  if (!Number.isSafeInteger(raw.kind) || (raw.kind as number) < 0 || (raw.kind as number) > 65535) return bad('kind is not an integer 0–65535');
  if (!Number.isSafeInteger(raw.created_at) || (raw.created_at as number) < 0) return bad('created_at is not a non-negative integer');
  if (typeof raw.content !== 'string') return bad('content is not a string');
  if (!Array.isArray(raw.tags)) return bad('tags is not an array');
  const tags: string[][] = [];
  for (const tag of raw.tags) {
    if (!Array.isArray(tag) || !tag.every((item) => typeof item === 'string')) return bad('a tag is not an array of strings');
    tags.push([...tag] as string[]);
  }
  return {
    ok: true,
    event: { id: raw.id, pubkey: raw.pubkey, created_at: raw.created_at as number, kind: raw.kind as number, tags, content: raw.content, sig: raw.sig },
  };
}

function bad(detail: string): ShapeResult {
  return { ok: false, reason: 'malformed', detail };
}
