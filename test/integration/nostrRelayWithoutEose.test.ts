import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Filter } from 'nostr-tools/filter';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { FAST_TUNING, startCollecting, waitFor } from '../support/relayCollectorHarness';
import { startRelayWithoutEose, type RelayWithoutEose } from '../support/relayWithoutEose';

/**
 * A relay that speaks NIP-01 but never sends EOSE (test/support/relayWithoutEose.ts). The collector must not wait
 * for a backfill that can never be proven complete, nor reconnect forever: it keeps the live subscriptions, takes
 * live events, and says plainly in the relay's status that it is live only and why.
 */

const MAX_WAIT_MS = 600;
const customer = generateSecretKey();
const dvm = generateSecretKey();
const nowSeconds = () => Math.floor(Date.now() / 1000);

function signed(kind: number, key: Uint8Array, tags: string[][] = [], createdAt = nowSeconds(), content = ''): Event {
  return finalizeEvent({ kind, created_at: createdAt, tags, content }, key);
}

describe('RelayCollector against a relay that never sends EOSE', () => {
  let relay: RelayWithoutEose;

  before(async () => {
    relay = await startRelayWithoutEose();
  });
  after(async () => {
    await relay.stop();
  });

  it('goes live-only with a named reason, takes live jobs and people events, and neither reconnects nor moves the cursor', async () => {
    const old = signed(5050, customer, [['i', 'stored before we came', 'text']], nowSeconds() - 3600);
    relay.publish(old);
    const h = startCollecting([relay.url], { ...FAST_TUNING, maxWaitMs: MAX_WAIT_MS });
    try {
      await waitFor('the live-only state', () => h.collector.stats()[0]?.liveOnly === true);
      const connectedAt = Date.now();
      const status = h.collector.status()[0];
      assert.equal(status.state, 'connected', 'a relay that streams is connected, not retrying');
      assert.match(status.detail ?? '', new RegExp(`live only: no EOSE within ${MAX_WAIT_MS} ms, backfill skipped`));
      assert.match(status.lastError ?? '', /no EOSE within \d+ ms \(NIP-01\): backfill skipped, taking live events only/);
      assert.ok(h.logged.some((line) => line.startsWith('warn: ') && line.includes('no EOSE')), 'the reason is in the log too');
      assert.equal(h.collector.stats()[0].backfilling, false, 'not shown as backfilling forever');

      // Live jobs, including a result that makes its author a followed DVM.
      const request = signed(5050, customer, [['i', 'live job', 'text']]);
      relay.publish(request);
      const result = signed(6050, dvm, [['e', request.id], ['p', getPublicKey(customer)]], nowSeconds(), 'done');
      relay.publish(result);
      await waitFor('the live request and result', () => h.received.has(request.id) && h.received.has(result.id));

      // The people subscription also runs without EOSE: the DVM's new profile and a deletion arrive live.
      const asks = (kind: number, pubkey: string) => relay.openFilters().some((filter) => filter.kinds?.includes(kind) && filter.authors?.includes(pubkey));
      await waitFor('a people subscription for the DVM and the customer', () => asks(0, getPublicKey(dvm)) && asks(5, getPublicKey(customer)));
      const profile = signed(0, dvm, [], nowSeconds(), '{"name":"no-eose dvm"}');
      const deletion = signed(5, customer, [['e', request.id], ['k', '5050']]);
      relay.publish(profile);
      relay.publish(deletion);
      await waitFor('the live profile and deletion', () => h.received.has(profile.id) && h.received.has(deletion.id));

      // Several more waits than one EOSE timeout later, still the same connection, still live.
      await waitFor('three EOSE timeouts', () => Date.now() - connectedAt > 3 * MAX_WAIT_MS);
      const later = signed(5050, customer, [['i', 'much later', 'text']]);
      relay.publish(later);
      await waitFor('a later live job', () => h.received.has(later.id));
      const stats = h.collector.stats()[0];
      assert.equal(stats.reconnects, 0, 'no reconnect loop');
      assert.equal(relay.connections, 1, 'one connection all along');
      assert.equal(stats.state, 'connected');
      assert.equal(stats.liveOnly, true);

      assert.equal(h.received.has(old.id), false, 'the stored past is not taken without EOSE (backfill skipped)');
      assert.equal(h.cursor.get(relay.url), undefined, 'nothing was proven complete, so the cursor did not move');
    } finally {
      await h.collector.dispose();
    }
  });

  it('holds the cursor while the people backfill gets no EOSE, keeps taking jobs, and moves it once the backfill completes', async () => {
    const partial = await startRelayWithoutEose();
    // EOSE for the job subscriptions only: profiles (0), deletions (5) and zap receipts (9735) never end.
    const peopleKinds = new Set([0, 5, 9735]);
    const isPeople = (filters: readonly Filter[]) => filters.some((filter) => filter.kinds?.some((kind) => peopleKinds.has(kind)));
    partial.eoseFor = (filters) => !isPeople(filters);
    const stored = signed(5050, customer, [['i', 'stored job', 'text']], nowSeconds() - 100);
    partial.publish(stored);
    const h = startCollecting([partial.url], { ...FAST_TUNING, maxWaitMs: MAX_WAIT_MS });
    try {
      await waitFor('the stored job backfilled', () => h.received.has(stored.id) && h.collector.stats()[0]?.backfilling === false);
      await waitFor('the people backfill to fail for want of EOSE', () => /profiles\/deletions\/zaps backfill: .*no EOSE.*retry in/.test(h.collector.status()[0].lastError ?? ''));
      let stats = h.collector.stats()[0];
      assert.equal(stats.liveOnly, false, 'the job subscriptions did end with EOSE');
      assert.equal(stats.peopleBackfilling, true);
      assert.match(h.collector.status()[0].detail ?? '', /backfilling profiles\/deletions\/zaps/);

      const live = signed(5050, customer, [['i', 'live job', 'text']]);
      partial.publish(live);
      await waitFor('a live job meanwhile', () => h.received.has(live.id));
      assert.equal(h.cursor.get(partial.url), undefined, 'the cursor waits for the customer\'s deletions to be paged');

      // The relay mends its ways: the retried people backfill completes and the cursor catches up.
      partial.eoseFor = () => true;
      await waitFor('the people backfill to complete', () => h.collector.stats()[0].peopleBackfilling === false);
      assert.equal(h.cursor.get(partial.url), live.created_at, 'the cursor is the newest delivered created_at');
      stats = h.collector.stats()[0];
      assert.equal(stats.reconnects, 0, 'a people backfill without EOSE is retried in the session, not by reconnecting');
      assert.equal(partial.connections, 1);
    } finally {
      await h.collector.dispose();
      await partial.stop();
    }
  });
});
