import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { eventually } from '../support/eventually';

/**
 * The "people" subscription (DVM profiles kind 0, customers' deletions kind 5, zap receipts 9735 to DVMs) is paged
 * like the job kinds: against a relay that answers at most 2 events per filter without `limit` and 20 with one,
 * every one of 30 profiles, 30 zap receipts and 30 deletions reaches the engine's store. Pages are 10 events.
 * Profiles and zaps are in the relay before the engine first connects; the deletions are published while the relay
 * is down, so they come in through the people backfill that follows a reconnect.
 */

const COUNT = 30;
const ZAP_MSATS = 21_000;

describe('profiles, deletions and zap receipts are paged like job kinds', () => {
  let relay: TestRelay;
  let engine: Engine;
  const customer = generateSecretKey();
  const dvms = Array.from({ length: COUNT }, () => generateSecretKey());
  const zapper = generateSecretKey();
  const now = Math.floor(Date.now() / 1000);
  const requests: Event[] = [];

  const collectorState = () => engine.status().collectors.find((entry) => entry.name === relay.url);

  before(async () => {
    // defaultLimit 2: a REQ without `limit` gets 2 events per filter; any `limit` is capped at 20.
    relay = await startRelay({ options: { defaultLimit: 2 } });
    for (let i = 0; i < COUNT; i++) {
      // Each DVM answers one job, so the collector learns the DVMs and the customer from the job traffic.
      const request = finalizeEvent({ kind: 5050, created_at: now - 2000 + 2 * i, tags: [['i', `job ${i}`, 'text']], content: '' }, customer);
      const result = finalizeEvent({ kind: 6050, created_at: now - 1999 + 2 * i, tags: [['e', request.id], ['p', getPublicKey(customer)]], content: `answer ${i}` }, dvms[i]);
      const profile = finalizeEvent({ kind: 0, created_at: now - 30 * 86_400 + i, tags: [], content: JSON.stringify({ name: `Profile DVM ${i}` }) }, dvms[i]);
      const zapRequest = JSON.stringify({ kind: 9734, tags: [['amount', String(ZAP_MSATS)], ['p', getPublicKey(dvms[i])], ['e', result.id]] });
      const zap = finalizeEvent({ kind: 9735, created_at: now - 900 + i, tags: [['p', getPublicKey(dvms[i])], ['e', result.id], ['description', zapRequest]], content: '' }, zapper);
      for (const event of [request, result, profile, zap]) await relay.inject(event);
      requests.push(request);
    }
    engine = await Engine.start(
      { dbPath: undefined, settings: { relays: [relay.url] }, collect: true },
      {
        notify: () => undefined,
        log: { log: () => undefined },
        modules: [createNostrModule({ relayTuning: { pageSize: 10, flushMs: 20, peopleRefreshMs: 100, backoffBaseMs: 100, backoffCapMs: 400, maxWaitMs: 5_000 } })],
      },
    );
  });

  after(async () => {
    await engine?.dispose();
    await relay?.stop();
  });

  it('ingests every profile and zap receipt of the DVMs it learned, beyond one page and beyond the relay cap', async () => {
    const named = await eventually('every DVM named from its kind 0 profile', async () => {
      const list = await engine.call('nostr.dvms', { limit: 100 });
      const names = list.map((dvm) => dvm.name).filter((name): name is string => name !== undefined);
      return names.length === COUNT ? names : undefined;
    });
    assert.deepEqual(named.sort(), Array.from({ length: COUNT }, (_, i) => `Profile DVM ${i}`).sort());
    const metrics = await eventually('every zap receipt as proven sats', async () => {
      const current = await engine.call('nostr.metrics', {});
      return current.satsProven === (COUNT * ZAP_MSATS) / 1000 ? current : undefined;
    });
    assert.equal(metrics.requests, COUNT);
    assert.equal(metrics.results, COUNT);
  });

  it('after a reconnect, pages in every deletion published while the relay was away', async () => {
    const deletions = requests.map((request, i) =>
      finalizeEvent({ kind: 5, created_at: now - 60 + i, tags: [['e', request.id], ['k', '5050']], content: 'cancelled' }, customer));
    await eventually('the people backfill to finish', () => {
      const state = collectorState();
      return state?.state === 'connected' && !state.detail?.includes('backfilling') ? true : undefined;
    });
    await relay.restart(async (inject) => {
      await eventually('the collector to notice the relay went away', () => (collectorState()?.state !== 'connected' ? true : undefined));
      for (const deletion of deletions) await inject(deletion);
    });
    for (const request of requests) {
      const trace = await eventually(`job ${request.id.slice(0, 8)} cancelled`, async () => {
        const current = await engine.call('nostr.trace', { id: request.id });
        return current?.cancelled ? current : undefined;
      });
      assert.equal(trace.requestId, request.id);
    }
    const state = collectorState();
    assert.equal(state?.state, 'connected');
  });
});
