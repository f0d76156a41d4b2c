import { createHash } from 'node:crypto';
import { idHex } from './hexIds';
import type { NostrEvent } from './nostrEvent';

/**
 * An accepted event as the ingest keeps it: the event plus its two JSON texts, computed once and used three
 * times (NIP-01 id hash, size check, storage).
 */
export interface SerializedEvent {
  readonly event: NostrEvent;
  readonly tagsJson: string;
  readonly contentJson: string;
}

export function serialize(event: NostrEvent): SerializedEvent {
  return { event, tagsJson: JSON.stringify(event.tags), contentJson: JSON.stringify(event.content) };
}

/** Fixed characters of the canonical JSON `{"id":"…","pubkey":"…","created_at":…,"kind":…,"tags":…,"content":…,"sig":"…"}`. */
const CANONICAL_FIXED = '{"id":"","pubkey":"","created_at":,"kind":,"tags":,"content":,"sig":""}'.length + 64 + 64 + 128;

/** Length of `canonicalJson(event)` without building it (the size limit is on that text). */
export function canonicalLength({ event, tagsJson, contentJson }: SerializedEvent): number {
  return CANONICAL_FIXED + String(event.created_at).length + String(event.kind).length + tagsJson.length + contentJson.length;
}

/** NIP-01: the id is sha256 of `[0,pubkey,created_at,kind,tags,content]` (node's native sha256: a few µs). */
export function hashMatchesId({ event, tagsJson, contentJson }: SerializedEvent): boolean {
  const serialized = `[0,"${event.pubkey}",${event.created_at},${event.kind},${tagsJson},${contentJson}]`;
  return createHash('sha256').update(serialized).digest('hex') === event.id;
}

/** A row of RAW_EVENT_COLUMNS (store/sharedSql/nostrSql.ts), as either store returns it, as the event. */
export function eventFromRow(row: readonly unknown[]): NostrEvent {
  return {
    id: idHex(row[0]),
    pubkey: idHex(row[1]),
    created_at: row[2] as number,
    kind: row[3] as number,
    tags: JSON.parse(row[4] as string) as string[][],
    content: JSON.parse(row[5] as string) as string,
    sig: idHex(row[6]),
  };
}
