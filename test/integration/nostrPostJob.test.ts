import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildJobCancellation, buildJobRequest } from '../../src/core/jobs/jobRequest';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { DvmSimulator } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { startPublishAnsweringRelay, type PublishAnsweringRelay } from '../support/publishAnsweringRelay';
import { relayEvents } from '../support/relayQuery';

/**
 * `nostr.publish` in the real engine: the caller signs, the engine verifies, stores, publishes and listens. Against the
 * loopback relay with the simulated DVM, and relays that refuse, stay silent or are not there.
 */
describe('posting a job through the engine', () => {
  let relay: TestRelay;
  let refusing: PublishAnsweringRelay;
  let silent: PublishAnsweringRelay;
  let dvm: DvmSimulator;
  let engine: Engine;
  const notifications: EngineNotification[] = [];

  before(async () => {
    relay = await startRelay();
    refusing = await startPublishAnsweringRelay(() => [false, 'blocked: no test jobs here']);
    silent = await startPublishAnsweringRelay(() => undefined);
    dvm = await DvmSimulator.start({ relayUrl: relay.url });
    engine = await Engine.start(
      { dbPath: undefined, settings: {}, collect: false },
      { notify: (notification) => notifications.push(notification), log: { log: () => undefined }, modules: [createNostrModule({ jobRelayTuning: { publishTimeoutMs: 700, connectTimeoutMs: 2_000 } })] },
    );
  });
  after(async () => {
    await engine?.dispose();
    await dvm?.stop();
    await Promise.all([relay?.stop(), refusing?.stop(), silent?.stop()]);
  });

  function job(key: SecretKey, input: string) {
    return buildJobRequest({ kind: 5050, inputs: [{ data: input, type: 'text' }], dvms: [dvm.pubkey], relays: [relay.url] }, key);
  }

  it('stores and traces the job like any other, hears its feedback and result on the relay, and tells the views', async () => {
    const key = SecretKey.generate();
    const request = job(key, 'hello engine');
    const published = await engine.call('nostr.publish', { event: request, relays: [relay.url], watchSeconds: 30 });
    assert.equal(published.id, request.id);
    assert.equal(published.stored, 'new');
    assert.deepEqual(published.relays.map((answer) => [answer.url, answer.outcome]), [[relay.url, 'ok']]);
    assert.ok(typeof published.relays[0].ms === 'number');
    const awaited = await engine.call('nostr.awaitJob', { id: request.id, timeoutMs: 20_000, dvms: [dvm.pubkey] });
    assert.deepEqual(awaited, { settled: true, dvms: [{ pubkey: dvm.pubkey, status: 'result-delivered' }] });
    const trace = await engine.call('nostr.trace', { id: request.id });
    assert.deepEqual(trace?.events.map((event) => event.status ?? event.role), ['request', 'payment-required', 'processing', 'result-delivered']);
    assert.deepEqual(trace?.events[0].relays, [relay.url], 'the relay that took it is recorded');
    assert.deepEqual(trace?.events.slice(1).map((event) => event.relays), [[relay.url], [relay.url], [relay.url]], 'answers came through the watch');
    assert.ok(notifications.some((notification) => notification.topic === 'nostr.changed' && notification.payload.jobs.includes(request.id)));
    assert.deepEqual(await engine.call('nostr.stopWatching', { id: request.id }), { stopped: true });
    assert.deepEqual(await engine.call('nostr.stopWatching', { id: request.id }), { stopped: false });
  });

  it("says what each relay answered: OK, rejected with the relay's words, timed out, unreachable", async () => {
    const request = job(SecretKey.generate(), 'four relays');
    const unreachable = 'ws://127.0.0.1:1';
    const published = await engine.call('nostr.publish', { event: request, relays: [relay.url, refusing.url, silent.url, unreachable] });
    assert.deepEqual(published.relays.map(({ url, outcome, message }) => ({ url, outcome, message: outcome === 'ok' ? undefined : message })), [
      { url: relay.url, outcome: 'ok', message: undefined },
      { url: refusing.url, outcome: 'rejected', message: 'blocked: no test jobs here' },
      { url: silent.url, outcome: 'timeout', message: 'no OK within 700 ms' },
      { url: unreachable, outcome: 'failed', message: 'could not connect: connection refused (connect ECONNREFUSED 127.0.0.1:1)' },
    ]);
    assert.deepEqual(silent.received, [request.id], 'the silent relay did get it');
    assert.deepEqual((await engine.call('nostr.trace', { id: request.id }))?.events[0].relays, [relay.url], 'only the relay that took it is recorded');
  });

  it('refuses an event that fails verification and sends it nowhere', async () => {
    const request = job(SecretKey.generate(), 'original');
    const forged = { ...JSON.parse(JSON.stringify(request)), content: 'changed after signing' };
    const before = refusing.received.length;
    await assert.rejects(engine.call('nostr.publish', { event: forged, relays: [refusing.url] }), /did not pass verification, so it was not sent \(event [0-9a-f]{64}: /);
    await assert.rejects(engine.call('nostr.publish', { event: { ...request, kind: 1 }, relays: [refusing.url] }), /takes a job request \(kind 5000–5999\) or a deletion/);
    await assert.rejects(engine.call('nostr.publish', { event: request, relays: ['https://relay.example'] }), /not a ws:\/\/ or wss:\/\/ relay URL/);
    assert.equal(refusing.received.length, before);
    assert.equal(await engine.call('nostr.event', { id: request.id }), null, 'nothing stored');
  });

  it('a cancellation (kind 5 by the job\'s author) is published and marks the job cancelled', async () => {
    const key = SecretKey.generate();
    const request = job(key, 'cancel me');
    await engine.call('nostr.publish', { event: request, relays: [relay.url] });
    const deletion = buildJobCancellation(request, key);
    const published = await engine.call('nostr.publish', { event: deletion, relays: [relay.url] });
    assert.equal(published.relays[0].outcome, 'ok');
    assert.equal(published.watchingUntil, undefined, 'a deletion is not watched');
    assert.equal((await engine.call('nostr.trace', { id: request.id }))?.cancelled, true);
    assert.deepEqual((await relayEvents(relay.url, { ids: [deletion.id] })).map((event) => event.id), [deletion.id], 'the relay serves the deletion');
  });
});
