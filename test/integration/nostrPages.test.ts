import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { npubEncode } from 'nostr-tools/nip19';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { ENGINE_STORES } from '../support/engineStores';
import { eventually } from '../support/eventually';
import { groupPairs, NostrOracle, oracleSeries, pairFigures } from '../support/nostrOracle';
import { startRelay, type TestRelay } from '../support/nostrRelay';

/**
 * The pages through the whole engine: a simulated DVM (NIP-89 announcement naming a relay, payment-required with a
 * real invoice, processing, result; an error on request) answers jobs on a real relay on loopback, and sends a
 * heartbeat (kind 11998) with a NIP-40 expiration; the relay collector picks everything up live. The page figures
 * equal an independent computation over exactly the events the customer and the DVM published.
 */
for (const store of ENGINE_STORES) describe(`DVM, kind and user pages of a simulated DVM on a loopback relay on ${store.kind}`, () => {
  let relay: TestRelay;
  let dvm: DvmSimulator;
  let customer: RelayPublisher;
  let engine: Engine;
  const dvmKey = generateSecretKey();
  const customerKey = generateSecretKey();
  const requests: Event[] = [];
  let heartbeat: Event;

  before(async () => {
    relay = await startRelay();
    dvm = await DvmSimulator.start({ relayUrl: relay.url, secretKey: dvmKey, name: 'Page DVM', amountMsats: 21_000, profile: { relays: ['wss://relay.sim.example'] } });
    customer = await RelayPublisher.connect(relay.url);
    engine = await Engine.start(
      { ...(await store.create()), settings: { relays: [relay.url], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: true },
      { notify: () => undefined, log: { log: () => undefined } },
    );
    await eventually('the relay collector to go live', () => {
      const collector = engine.status().collectors.find((entry) => entry.name === relay.url);
      return collector?.state === 'connected' && !collector.detail?.includes('backfilling') ? true : undefined;
    });
    for (const options of [{ input: 'one' }, { input: 'two', dvmPubkey: dvm.pubkey }, { input: 'three', fail: true }, { input: 'four' }]) {
      const request = buildJobRequest({ secretKey: customerKey, ...options });
      requests.push(request);
      await customer.publish(request);
    }
    const now = Math.floor(Date.now() / 1000);
    heartbeat = finalizeEvent({ kind: 11998, created_at: now, tags: [['expiration', String(now + 300)]], content: '' }, dvmKey);
    await customer.publish(heartbeat);
  });

  after(async () => {
    customer?.close();
    await dvm?.stop();
    await engine?.dispose();
    await relay?.stop();
    await store.stop();
  });

  /** Everything published, in the order it was sent (pair figures do not depend on the order). */
  const published = (): NostrEvent[] => [...(dvm.announcement ? [dvm.announcement] : []), ...requests, ...dvm.published.filter((event) => event.kind !== 31990), heartbeat] as NostrEvent[];

  it('the DVM page, asked by npub: per-kind figures, card, heartbeat and its expiration, newest events', async () => {
    const page = await eventually('the DVM page with every job answered and the heartbeat', async () => {
      const answer = await engine.call('nostr.dvmPage', { pubkey: npubEncode(dvm.pubkey) });
      return answer?.kinds[0]?.jobs === requests.length && answer.kinds[0].results === 3 && answer.liveness.lastHeartbeatAt !== null ? answer : undefined;
    });
    const oracle = new NostrOracle().add(published());
    const expected = pairFigures(oracle, oracle.pairList());
    const { kind, name, waiting, unpaidJobs, paidWithoutResult, ...figures } = page.kinds[0];
    assert.deepEqual([kind, name, page.kinds.length], [5050, 'text generation', 1]);
    assert.deepEqual(figures, expected);
    assert.equal(figures.errors, 1);
    assert.equal(figures.satsRequested, 3 * 21, 'three jobs quoted 21 sats (the failing one is refused before a quote)');
    assert.deepEqual([page.name, page.profile.relays, page.profile.encryptionSupported], ['Page DVM', ['wss://relay.sim.example'], true]);
    assert.deepEqual([page.liveness.status, page.liveness.lastHeartbeatAt, page.liveness.heartbeatExpiresAt, page.liveness.heartbeatExpired],
      ['up', heartbeat.created_at, heartbeat.created_at + 300, false]);
    assert.equal(waiting, 0);
    const answers = dvm.published.filter((event) => event.kind === 7000 || event.kind === 6050);
    assert.deepEqual(new Set(page.recent.map((event) => event.id)), new Set(answers.map((event) => event.id)), 'its events on its jobs');
  });

  it('the kind page, the user page and the series count the same jobs', async () => {
    const oracle = new NostrOracle().add(published());
    const kind = await engine.call('nostr.kindPage', { kind: 6050 });
    assert.ok(kind);
    assert.deepEqual([kind.kind, kind.requests, kind.users, kind.dvms.map((row) => row.pubkey)], [5050, requests.length, 1, [dvm.pubkey]]);
    const { pubkey, npub, name, status, announced, ...figures } = kind.dvms[0];
    assert.deepEqual(figures, pairFigures(oracle, [...groupPairs(oracle.pairList(), (pair) => pair.dvm).values()][0]));
    assert.deepEqual([name, status, announced], ['Page DVM', 'up', true]);
    assert.deepEqual(kind.recentJobs.map((job) => job.requestId).sort(), requests.map((request) => request.id).sort());

    const user = await engine.call('nostr.userPage', { pubkey: getPublicKey(customerKey) });
    assert.deepEqual(user?.jobs.map((job) => [job.requestId, job.status]).sort(), requests.map((request) => [request.id, oracle.jobStatus(request.id)]).sort());
    assert.deepEqual(user?.dvms.map((row) => [row.pubkey, row.jobs, row.errors]), [[dvm.pubkey, requests.length, 1]]);

    const now = Math.floor(Date.now() / 1000);
    const series = await engine.call('nostr.activity', { window: '1h', bucket: '5m', now });
    assert.equal(series.covers.limitedBy, 'collection-start');
    const expected = oracleSeries(oracle, 300, series.covers.from, now);
    assert.deepEqual(series.points.map(({ encrypted, satsEarned, ...point }) => point), expected);
    assert.equal(expected.reduce((sum, point) => sum + point.requests, 0), requests.length);
    const recent = await engine.call('nostr.recentByKind', {});
    assert.deepEqual([recent.length, recent[0].kind, recent[0].jobs.length], [1, 5050, 3]);
  });
});
