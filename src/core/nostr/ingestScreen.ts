import { isContextVmKind } from './contextVmEvents';
import { checkShape, MAX_EVENT_JSON_LENGTH } from './eventShape';
import { roleOfKind, type NostrEvent } from './nostrEvent';
import { canonicalLength, hashMatchesId, serialize, type SerializedEvent } from './rawEvents';
import type { Rejections } from './rejections';
import type { Verdict } from './signatureVerifier';

const VERDICT_DETAILS: Record<Exclude<Verdict, 'ok'>, string> = {
  'bad-id': 'the id is not the hash of its content (NIP-01)',
  'bad-signature': 'the signature does not verify (BIP-340)',
};

/**
 * The checks every store's ingest makes before it looks at its database (DESIGN.md: a malformed, oversized,
 * excluded or non-DVM event is counted and dropped): NIP-01 shape, size, excluded kinds, DVM kinds. Returns the
 * events that pass, serialized once for the id hash, the size and the stored JSON.
 */
export function screenEvents(events: readonly unknown[], excluded: ReadonlySet<number>, rejections: Rejections): SerializedEvent[] {
  const candidates: SerializedEvent[] = [];
  for (const raw of events) {
    const shape = checkShape(raw);
    if (!shape.ok) {
      rejections.add('malformed', shape.detail, (raw as { id?: unknown } | null)?.id);
      continue;
    }
    const candidate = serialize(shape.event);
    const { id, kind } = candidate.event;
    const length = canonicalLength(candidate);
    if (length > MAX_EVENT_JSON_LENGTH) {
      rejections.add('oversized', `${length} characters of JSON, more than ${MAX_EVENT_JSON_LENGTH}`, id);
      continue;
    }
    if (excluded.has(kind)) {
      rejections.add('excluded-kind', `kind ${kind} is excluded (swarmscope.nostr.excludedKinds)`, id);
      continue;
    }
    if (roleOfKind(kind) === undefined && !isContextVmKind(kind)) {
      rejections.add('not-dvm-kind', `kind ${kind} is not a DVM kind`, id);
      continue;
    }
    candidates.push(candidate);
  }
  return candidates;
}

/** The id + BIP-340 check of one event; false (counted in `rejections`) for a forged or damaged one. */
export function signatureHolds(event: NostrEvent, verify: (event: NostrEvent) => Verdict, rejections: Rejections): boolean {
  const verdict = verify(event);
  if (verdict === 'ok') return true;
  rejections.add(verdict, VERDICT_DETAILS[verdict], event.id);
  return false;
}

/**
 * A copy of an event already stored or earlier in the batch. A copy with the same signature whose content hashes
 * to the id is the verified event itself: no second signature check. Anything else (other signature, other
 * content, raw copy gone: `storedSig` undefined) is checked in full, so a forgery never passes as a duplicate.
 */
export function duplicateHolds(candidate: SerializedEvent, storedSig: string | undefined, verify: (event: NostrEvent) => Verdict, rejections: Rejections): boolean {
  if (storedSig === candidate.event.sig && hashMatchesId(candidate)) return true;
  return signatureHolds(candidate.event, verify, rejections);
}
