import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { verifyEvent } from 'nostr-tools/pure';
import { MAX_EVENT_JSON_LENGTH } from '../../src/core/nostr';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';

/**
 * Issue 8: property-based fuzzing of the ingest path. Whatever a relay or a file sends — any JSON value, event-like
 * objects with fields of any type, tags and content of any shape, encoding (lone surrogates, NUL, astral and
 * combining characters) and size — ingest never throws, accounts for every input, and never stores an event that
 * fails verification: only the genuinely signed events below can be stored, and only exactly as signed. Forged
 * copies of them (one field changed, nothing re-signed) are mixed in. Runs are bounded to take a few seconds.
 */

const RUNS = 120;
const DVM_KINDS = [5050, 5300, 6050, 7000, 31990, 9735, 5, 0, 11998];

/** Text that stresses serialization: controls, NUL, quotes and escapes, lone surrogates, astral and combining marks. */
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\u0000', '"\\', '\ud800', '\udc00x', '😀\u200d👩', 'e\u0301\u0301', '\u2028\u2029', '[x](command:y)', '\u001b[2J'),
);
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
/** Sizes around the limit, cheaply: one repeated character. */
const bigText = fc.integer({ min: MAX_EVENT_JSON_LENGTH - 400, max: MAX_EVENT_JSON_LENGTH + 400 }).map((n) => 'x'.repeat(n));
const tags = fc.array(fc.array(nastyText, { maxLength: 4 }), { maxLength: 5 });

/** Validly signed events of the kinds ingest keeps, with hostile-but-legal tags and content. */
function signedPool(): NostrEvent[] {
  const samples = fc.sample(fc.record({ kind: fc.constantFrom(...DVM_KINDS), tags, content: nastyText }), { numRuns: 24, seed: 8 });
  const actor = new Actor();
  const now = Math.floor(Date.now() / 1000);
  return samples.map(({ kind, tags: eventTags, content }, i) => actor.sign(kind, eventTags, content, now - i));
}

/** One field of a signed event changed (or replaced by anything at all), nothing re-signed: a JSON copy. */
function forgedFrom(pool: readonly NostrEvent[]) {
  const field = fc.constantFrom<keyof NostrEvent>('id', 'pubkey', 'created_at', 'kind', 'tags', 'content', 'sig');
  return fc.tuple(fc.constantFrom(...pool), field, fc.oneof(fc.anything(), nastyText, hex(64), hex(128), fc.integer()), fc.boolean()).map(([event, key, value, nudge]) => {
    const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    if (nudge) {
      // A minimal change that keeps the shape valid: only the id/signature check can catch it.
      if (key === 'created_at' || key === 'kind') copy[key] = (copy[key] as number) + 1;
      else if (key === 'tags') copy.tags = [...event.tags, ['e', '0'.repeat(64)]];
      else copy[key] = flipLastHexDigit(String(copy[key]));
    } else {
      copy[key] = value;
    }
    return copy;
  });
}

function flipLastHexDigit(text: string): string {
  const last = text.at(-1);
  return /[0-9a-f]/.test(last ?? '') ? text.slice(0, -1) + (last === '0' ? '1' : '0') : `${text}0`;
}

/** Event-shaped objects whose fields may be of any type and size, some missing, some extra. */
const eventLike = fc.record(
  {
    id: fc.oneof(hex(64), fc.anything()),
    pubkey: fc.oneof(hex(64), fc.anything()),
    created_at: fc.oneof(fc.integer({ min: -1, max: 2 ** 40 }), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.anything()),
    kind: fc.oneof(fc.constantFrom(...DVM_KINDS), fc.integer({ min: -1, max: 70_000 }), fc.anything()),
    tags: fc.oneof(tags, fc.anything()),
    content: fc.oneof(nastyText, bigText, fc.anything()),
    sig: fc.oneof(hex(128), fc.anything()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('ingest under fuzzing', () => {
  let kit: CoreKit;
  let pool: NostrEvent[];
  let signedById: Map<string, NostrEvent>;

  before(async () => {
    kit = await openCore();
    pool = signedPool();
    signedById = new Map(pool.map((event) => [event.id, event]));
  });
  after(() => kit.close());

  it('never throws, accounts for every input, and stores only verified events exactly as signed', async () => {
    const seen = { accepted: 0, rejected: {} as Record<string, number> };
    const input = fc.oneof(
      { arbitrary: fc.constantFrom(...pool).map((event) => JSON.parse(JSON.stringify(event)) as unknown), weight: 2 },
      { arbitrary: forgedFrom(pool), weight: 3 },
      { arbitrary: eventLike, weight: 3 },
      // A signed event's shape around the size limit: oversized, or (content changed) a bad id.
      { arbitrary: fc.tuple(fc.constantFrom(...pool), bigText).map(([event, content]) => ({ ...JSON.parse(JSON.stringify(event)), content }) as unknown), weight: 1 },
      // A line of a JSON-lines file that did not parse is passed on as its text.
      { arbitrary: fc.oneof(fc.anything(), nastyText, fc.json()), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(input, { maxLength: 12 }), fc.constantFrom(undefined, 'wss://a.example', 'wss://b.example'), async (batch, relay) => {
        const result = await kit.core.ingest(relay, batch);
        seen.accepted += result.accepted;
        for (const [reason, count] of Object.entries(result.rejected)) seen.rejected[reason] = (seen.rejected[reason] ?? 0) + count;
        const rejected = Object.values(result.rejected).reduce((sum, count) => sum + count, 0);
        assert.equal(result.accepted + result.duplicates + rejected, batch.length, 'every input is accepted, a duplicate, or rejected with a reason');
        for (const [reason, details] of Object.entries(result.rejectDetails)) {
          assert.ok(details.length >= 1 && details.length <= 3 && details.length <= (result.rejected[reason] ?? 0), `details of ${reason} are bounded`);
        }
        for (const item of batch) {
          const id = (item as { id?: unknown } | null)?.id;
          if (typeof id !== 'string') continue;
          const stored = kit.core.event(id);
          if (!stored) continue;
          const signed = signedById.get(id);
          assert.ok(signed, `a stored event is one of the signed ones (${id})`);
          // nostr-tools wants mutable tags; a JSON round trip gives exactly that, and no `verified` mark to trust.
          const copy = JSON.parse(JSON.stringify(stored)) as Parameters<typeof verifyEvent>[0];
          assert.deepEqual(copy, signed, 'stored exactly as signed, never a forged copy of it');
          assert.ok(verifyEvent(copy), 'and it verifies');
        }
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: genuine events went in, and forged, malformed and oversized ones reached their checks.
    assert.ok(seen.accepted > 0, 'some signed events were stored');
    for (const reason of ['bad-id', 'bad-signature', 'malformed', 'oversized']) assert.ok((seen.rejected[reason] ?? 0) > 0, `some events were rejected as ${reason}`);
  });
});
