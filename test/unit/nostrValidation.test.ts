import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_EVENT_JSON_LENGTH } from '../../src/core/nostr';
import { checkShape } from '../../src/core/nostr/eventShape';
import { Actor, fixtureEvent, fixtureEvents, openCore, tampered, type CoreKit } from '../fixtures/nostr/eventBuilders';

describe('nostr validation', () => {
  let kit: CoreKit;
  before(async () => {
    kit = await openCore();
  });
  after(() => kit.close());

  it('accepts every real fixture event (ids and BIP-340 signatures verify)', async () => {
    const events = fixtureEvents();
    const result = await kit.core.ingest('wss://one.example', events);
    assert.equal(result.accepted, events.length);
    assert.deepEqual(result.rejected, {});
  });

  it('stores a copy from a second relay once and records both relays', async () => {
    const event = fixtureEvent('a53c9389');
    const result = await kit.core.ingest('wss://two.example', [event]);
    assert.equal(result.accepted, 0);
    assert.equal(result.duplicates, 1);
    const trace = kit.core.trace(event.id);
    assert.deepEqual(trace?.events.find((item) => item.id === event.id)?.relays.sort(), ['wss://one.example', 'wss://two.example']);
    assert.equal(kit.core.metrics(1_800_000_000).requests, fixtureEvents().filter((e) => e.kind >= 5000 && e.kind <= 5999).length);
  });

  it('rejects forged copies: content changed, id altered, sig altered (JSON round trips)', async () => {
    const fresh = await openCore();
    try {
      const original = fixtureEvent('0642fc0c');
      const otherId = fixtureEvent('a53c9389').id;
      const flippedSig = original.sig.slice(0, -1) + (original.sig.endsWith('0') ? '1' : '0');
      const result = await fresh.core.ingest(undefined, [
        tampered(original, { content: 'paid in full' }),
        tampered(original, { id: otherId }),
        tampered(original, { sig: flippedSig }),
        tampered(original, { created_at: original.created_at + 1 }),
      ]);
      assert.equal(result.accepted, 0);
      assert.deepEqual(result.rejected, { 'bad-id': 3, 'bad-signature': 1 });
      assert.deepEqual(fresh.dropped, { 'bad-id': 3, 'bad-signature': 1 });
      assert.equal(fresh.core.event(original.id), null);
    } finally {
      await fresh.close();
    }
  });

  it('rejects a forged copy of an already stored id instead of counting it as a duplicate', async () => {
    const original = fixtureEvent('0642fc0c');
    const result = await kit.core.ingest('wss://three.example', [tampered(original, { content: 'forged' })]);
    assert.equal(result.duplicates, 0);
    assert.deepEqual(result.rejected, { 'bad-id': 1 });
    assert.equal(kit.core.event(original.id)?.content, original.content);
  });

  it('rejects malformed shapes with a reason, never throwing', async () => {
    const good = fixtureEvent('a53c9389');
    const result = await kit.core.ingest(undefined, [
      null, 'text', 42, [],
      tampered(good, { id: good.id.toUpperCase() }),
      tampered(good, { pubkey: 'abc' }),
      tampered(good, { sig: 'zz' }),
      tampered(good, { kind: 5050.5 }),
      tampered(good, { created_at: '1744229914' }),
      tampered(good, { tags: [['i', 7]] }),
      tampered(good, { tags: 'i' }),
      tampered(good, { content: null }),
    ]);
    assert.deepEqual(result.rejected, { malformed: 12 });
  });

  it('drops excluded kinds (settings) and kinds outside the DVM model', async () => {
    const actor = new Actor();
    const result = await kit.core.ingest(undefined, [
      actor.sign(5666, []), actor.sign(6969, []), actor.sign(5128, []),
      actor.sign(1, [], 'a note'), actor.sign(30023, [['d', 'x']]), actor.sign(4, []),
    ]);
    assert.deepEqual(result.rejected, { 'excluded-kind': 3, 'not-dvm-kind': 3 });
  });

  it('honours a changed exclusion list', async () => {
    const custom = await openCore([5050]);
    try {
      const result = await custom.core.ingest(undefined, [new Actor().sign(5050, []), new Actor().sign(5666, [])]);
      assert.equal(result.accepted, 1);
      assert.deepEqual(result.rejected, { 'excluded-kind': 1 });
    } finally {
      await custom.close();
    }
  });

  it('drops events over the size limit as oversized', async () => {
    const big = new Actor().sign(5050, [], 'x'.repeat(MAX_EVENT_JSON_LENGTH));
    const result = await kit.core.ingest(undefined, [big]);
    assert.deepEqual(result.rejected, { oversized: 1 });
  });

  it('strips the verified marker: the shape check returns a plain copy', () => {
    const event = fixtureEvent('a53c9389');
    const marked = { ...event, [Symbol('verified')]: true, extra: 'x' };
    const shape = checkShape(marked);
    assert.ok(shape.ok);
    assert.deepEqual(Object.keys(shape.event).sort(), ['content', 'created_at', 'id', 'kind', 'pubkey', 'sig', 'tags']);
    assert.equal(Object.getOwnPropertySymbols(shape.event).length, 0);
  });
});
