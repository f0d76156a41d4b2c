import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { FAST_TUNING as FAST, MemoryCursor, startCollecting as collect, waitFor } from '../support/relayCollectorHarness';

/** The RelayCollector alone against a real relay on loopback: backfill, live, kill/restart, relay quirks. */

const customer = generateSecretKey();
const dvm = generateSecretKey();
let serial = 0;

function jobEvent(createdAt = Math.floor(Date.now() / 1000), kind = 5050, key = customer, tags: string[][] = []): Event {
  return finalizeEvent({ kind, created_at: createdAt, tags: [['i', `prompt ${serial}`, 'text'], ...tags], content: `job ${serial++}` }, key);
}

function idsOf(events: readonly Event[]): string[] {
  return events.map((event) => event.id).sort();
}

describe('RelayCollector against a loopback relay', () => {
  let relay: TestRelay;

  before(async () => {
    relay = await startRelay();
  });
  after(async () => {
    await relay.stop();
  });

  it('backfills stored events page by page, streams live ones, and loses nothing across a relay restart', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Older than the overlap, in several pages of 7, some sharing a second.
    const stored = Array.from({ length: 30 }, (_, i) => jobEvent(now - 3000 + Math.floor(i / 3)));
    for (const event of stored) await relay.inject(event);

    const h = collect([relay.url]);
    try {
      await waitFor('the backfill', () => h.received.size >= stored.length);
      // The cursor moves once the customer's deletions (the people backfill) are paged too.
      await waitFor('the connected state after both backfills', () => {
        const stats = h.collector.stats()[0];
        return stats.state === 'connected' && !stats.backfilling && !stats.peopleBackfilling;
      });
      assert.deepEqual(idsOf([...h.received.values()]), idsOf(stored));
      assert.equal(h.cursor.get(relay.url), now - 3000 + 9, 'the cursor is the newest delivered created_at');

      const live = Array.from({ length: 10 }, () => jobEvent());
      for (const event of live) await relay.inject(event);
      await waitFor('live events', () => live.every((event) => h.received.has(event.id)));

      // Published into the relay while the collector cannot reach it, then the relay comes back on the same port.
      const meanwhile = Array.from({ length: 25 }, (_, i) => jobEvent(Math.floor(Date.now() / 1000) + (i % 2)));
      await relay.restart(async (inject) => {
        await waitFor('the collector to notice', () => h.collector.status()[0].state === 'retrying' || h.collector.status()[0].state === 'connecting');
        for (const event of meanwhile) await inject(event);
      });
      await waitFor('the backfill after reconnect', () => meanwhile.every((event) => h.received.has(event.id)));

      const all = [...stored, ...live, ...meanwhile];
      assert.deepEqual(idsOf([...h.received.values()]), idsOf(all), 'every event exactly once, nothing else');
      const stats = h.collector.stats()[0];
      assert.ok(stats.reconnects >= 1, 'a reconnect was counted');
      assert.equal(stats.events, all.length, 'per-relay event count excludes overlap repeats');
      assert.ok(h.states.includes('retrying'), `status passed through retrying (saw ${h.states.join(' → ')})`);
      await waitFor('connected again', () => h.collector.status()[0].state === 'connected');
      const status = h.collector.status()[0];
      assert.equal(status.name, relay.url);
      assert.match(status.detail ?? '', /65 events · last event \d{4}-/);
      assert.match(status.detail ?? '', /latency \d+ ms/);
      assert.ok(status.lastError, 'the lost connection is named as the last error');
    } finally {
      await h.collector.dispose();
    }
    assert.equal(h.collector.status()[0].state, 'stopped', 'a disposed collector shows its relays stopped');
  });

  it('falls back to filters of 20 kinds when a relay refuses 5000–7000 in one filter', async () => {
    const strict = await startRelay({ options: { maxFilterKinds: 20 } });
    const h = collect([strict.url]);
    try {
      const request = jobEvent(undefined, 5300);
      const feedback = jobEvent(undefined, 7000, dvm, [['e', request.id]]);
      await strict.inject(request);
      await waitFor('the backfilled request', () => h.received.has(request.id));
      await strict.inject(feedback);
      await waitFor('the live feedback', () => h.received.has(feedback.id));
      assert.equal(h.collector.status()[0].state, 'connected');
    } finally {
      await h.collector.dispose();
      await strict.stop();
    }
  });

  it('keeps paging when the relay caps limit below the page size (a short page is not the end)', async () => {
    // defaultLimit 4 ⇒ this relay returns at most 40 events per REQ whatever the limit asked.
    const capped = await startRelay({ options: { defaultLimit: 4 } });
    const now = Math.floor(Date.now() / 1000);
    const stored = Array.from({ length: 130 }, (_, i) => jobEvent(now - 500 + i));
    for (const event of stored) await capped.inject(event);
    const h = collect([capped.url], { ...FAST, pageSize: 100 });
    try {
      await waitFor('the whole backfill', () => h.received.size >= stored.length && !h.collector.stats()[0].backfilling);
      assert.deepEqual(idsOf([...h.received.values()]), idsOf(stored));
      assert.ok(Math.max(...h.batches) <= 500, 'batches stay within maxBatch');
    } finally {
      await h.collector.dispose();
      await capped.stop();
    }
  });

  it('backfills a second that holds more events than a page (queried alone, then split by kind)', async () => {
    const local = await startRelay({ options: { defaultLimit: 2 } }); // caps any REQ at 20 events
    const second = Math.floor(Date.now() / 1000) - 100;
    const stored = [
      ...Array.from({ length: 15 }, () => jobEvent(second, 5050)),
      ...Array.from({ length: 12 }, () => jobEvent(second, 5300)),
      ...Array.from({ length: 9 }, () => jobEvent(second, 7000, dvm)),
    ];
    for (const event of stored) await local.inject(event);
    const h = collect([local.url]);
    try {
      await waitFor('the whole backfill', () => h.received.size >= stored.length && !h.collector.stats()[0].backfilling);
      assert.deepEqual(idsOf([...h.received.values()]), idsOf(stored));
      assert.equal(h.dropped.size, 0, `nothing reported missing (${[...h.dropped.keys()].join('; ')})`);
    } finally {
      await h.collector.dispose();
      await local.stop();
    }
  });

  it('backfills only from the cursor (minus the overlap) when one is known', async () => {
    const local = await startRelay();
    const now = Math.floor(Date.now() / 1000);
    const old = jobEvent(now - 1000);
    const recent = jobEvent(now - 30);
    await local.inject(old);
    await local.inject(recent);
    const cursor = new MemoryCursor();
    cursor.set(local.url, now - 60);
    const h = collect([local.url], { ...FAST, overlapSeconds: 10 }, cursor);
    try {
      await waitFor('the backfill', () => h.received.has(recent.id) && !h.collector.stats()[0].backfilling);
      assert.equal(h.received.has(old.id), false, 'an event older than cursor − overlap is not fetched again');
    } finally {
      await h.collector.dispose();
      await local.stop();
    }
  });

  it('follows learned DVMs and users: their profiles, deletions and zap receipts arrive', async () => {
    const local = await startRelay();
    const h = collect([local.url]);
    const dvmPubkey = getPublicKey(dvm);
    try {
      await waitFor('connected', () => h.collector.status()[0].state === 'connected' && !h.collector.stats()[0].backfilling);
      const profile = finalizeEvent({ kind: 0, created_at: Math.floor(Date.now() / 1000) - 86_400 * 30, tags: [], content: '{"name":"sim"}' }, dvm);
      await local.inject(profile);
      const request = jobEvent();
      const result = jobEvent(undefined, 6050, dvm, [['e', request.id], ['p', getPublicKey(customer)]]);
      await local.inject(request);
      await local.inject(result);
      await waitFor('the profile of the DVM that answered', () => h.received.has(profile.id));
      const deletion = finalizeEvent({ kind: 5, created_at: Math.floor(Date.now() / 1000), tags: [['e', request.id], ['k', '5050']], content: '' }, customer);
      const zap = finalizeEvent({ kind: 9735, created_at: Math.floor(Date.now() / 1000), tags: [['p', dvmPubkey], ['e', result.id]], content: '' }, generateSecretKey());
      const unrelatedZap = finalizeEvent({ kind: 9735, created_at: Math.floor(Date.now() / 1000), tags: [['p', getPublicKey(generateSecretKey())]], content: '' }, generateSecretKey());
      await local.inject(unrelatedZap);
      await local.inject(deletion);
      await local.inject(zap);
      await waitFor('the deletion and the zap receipt', () => h.received.has(deletion.id) && h.received.has(zap.id));
      assert.equal(h.received.has(unrelatedZap.id), false, 'a zap to someone else is not taken');
    } finally {
      await h.collector.dispose();
      await local.stop();
    }
  });

  it('reports a relay that is not there as retrying with its error, and adds/removes relays on setRelays', async () => {
    const local = await startRelay();
    const deadUrl = 'ws://127.0.0.1:1';
    const h = collect([deadUrl]);
    try {
      await waitFor('retrying', () => h.collector.status()[0].state === 'retrying');
      assert.ok(h.collector.status()[0].lastError);
      h.collector.setRelays([local.url]);
      assert.deepEqual(h.collector.status().map((status) => status.name), [local.url]);
      const event = jobEvent();
      await local.inject(event);
      await waitFor('the new relay delivering', () => h.received.has(event.id));
    } finally {
      await h.collector.dispose();
      await local.stop();
    }
  });
});
