/**
 * The NIP-01 event as Swarmscope stores it, and the kind ranges of NIP-90 (DESIGN.md "Nostr: definitions").
 * Everything here is data from strangers: nothing in an event is trusted before `eventValidator` passed it.
 */
import type { NostrEvent } from './eventTypes';

export type { NostrEvent };

export const KIND_METADATA = 0;
export const KIND_DELETION = 5;
export const KIND_FEEDBACK = 7000;
export const KIND_ZAP_RECEIPT = 9735;
export const KIND_HEARTBEAT = 11998;
export const KIND_HANDLER_INFO = 31990;

/** What an accepted event is to the job model. */
export type EventRole = 'request' | 'result' | 'feedback' | 'deletion' | 'zap' | 'heartbeat' | 'handler' | 'metadata';

export function isRequestKind(kind: number): boolean {
  return kind >= 5000 && kind <= 5999;
}

export function isResultKind(kind: number): boolean {
  return kind >= 6000 && kind <= 6999;
}

/** NIP-90: a result's request kind is its own kind minus 1000. */
export function requestKindOfResult(kind: number): number {
  return kind - 1000;
}

/** The role of a kind, or undefined for kinds this engine does not collect (counted as `not-dvm-kind`). */
export function roleOfKind(kind: number): EventRole | undefined {
  if (isRequestKind(kind)) return 'request';
  if (isResultKind(kind)) return 'result';
  switch (kind) {
    case KIND_FEEDBACK: return 'feedback';
    case KIND_DELETION: return 'deletion';
    case KIND_ZAP_RECEIPT: return 'zap';
    case KIND_HEARTBEAT: return 'heartbeat';
    case KIND_HANDLER_INFO: return 'handler';
    case KIND_METADATA: return 'metadata';
    default: return undefined;
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Lower-case 64-hex, as NIP-01 writes ids and pubkeys. */
export function isHex64(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}

/** The first value of the first tag named `name`, if any. */
export function firstTag(event: NostrEvent, name: string): readonly string[] | undefined {
  return event.tags.find((tag) => tag[0] === name);
}

export function tagValues(event: NostrEvent, name: string): string[] {
  const values: string[] = [];
  for (const tag of event.tags) if (tag[0] === name && tag[1] !== undefined) values.push(tag[1]);
  return values;
}

/** A canonical JSON text of the event (fixed field order): what is stored, and what duplicates are compared by. */
export function canonicalJson(event: NostrEvent): string {
  return JSON.stringify({
    id: event.id, pubkey: event.pubkey, created_at: event.created_at, kind: event.kind,
    tags: event.tags, content: event.content, sig: event.sig,
  });
}
