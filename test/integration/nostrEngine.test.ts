import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSecretKey, type Event } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import type { JobTrace, TraceDvm } from '../../src/protocol/nostrProtocol';
import { buildChainedJob, buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { ENGINE_STORES } from '../support/engineStores';
import { eventually } from '../support/eventually';

/**
 * The whole engine (collector → validation → job assembly → store → notifications) against a real relay on
 * loopback and a simulated DVM, through the engine protocol only.
 */

for (const store of ENGINE_STORES) describe(`Nostr engine against a loopback relay and a simulated DVM on ${store.kind}`, () => {
  let relay: TestRelay;
  let dvm: DvmSimulator;
  let customer: RelayPublisher;
  let engine: Engine;
  const notifications: EngineNotification[] = [];
  const customerKey = generateSecretKey();

  const trace = (id: string) => engine.call('nostr.trace', { id });
  const dvmIn = (jobTrace: JobTrace | null): TraceDvm | undefined => jobTrace?.dvms.find((entry) => entry.pubkey === dvm.pubkey);
  /** The trace once the simulator's answer for this job reached `status`. */
  const traceWhen = (id: string, status: string) =>
    eventually(`job ${id.slice(0, 8)} to reach ${status}`, async () => {
      const jobTrace = await trace(id);
      return dvmIn(jobTrace)?.status === status ? jobTrace! : undefined;
    });

  before(async () => {
    relay = await startRelay();
    dvm = await DvmSimulator.start({ relayUrl: relay.url, name: 'Echo DVM', amountMsats: 21_000 });
    customer = await RelayPublisher.connect(relay.url);
    engine = await Engine.start(
      // The chain collector starts too; a dead loopback port keeps it off the network.
      { ...(await store.create()), settings: { relays: [relay.url], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: true },
      { notify: (notification) => notifications.push(notification), log: { log: () => undefined } },
    );
    await eventually('the relay collector to go live', () => {
      const collector = engine.status().collectors.find((entry) => entry.name === relay.url);
      return collector?.state === 'connected' && !collector.detail?.includes('backfilling') ? true : undefined;
    });
  });

  after(async () => {
    customer?.close();
    await dvm?.stop();
    await engine?.dispose();
    await relay?.stop();
    await store.stop();
  });

  it('assembles payment-required → processing → result with status and sats, and notifies for the DVM', async () => {
    const request = buildJobRequest({ secretKey: customerKey, input: 'hello' });
    await customer.publish(request);
    const jobTrace = await traceWhen(request.id, 'result-delivered');
    assert.equal(jobTrace.requestId, request.id);
    assert.equal(jobTrace.kind, 5050);
    assert.equal(jobTrace.encrypted, false);
    const answer = dvmIn(jobTrace)!;
    assert.equal(answer.satsRequested, 21);
    assert.equal(answer.amountMismatch, false);
    assert.ok(answer.responseSec !== null && answer.responseSec >= 0);
    const roles = jobTrace.events.map((event) => `${event.role}:${event.status ?? ''}`);
    assert.deepEqual(roles, ['request:', 'feedback:payment-required', 'feedback:processing', 'result:result-delivered']);
    assert.ok(jobTrace.events.every((event) => event.relays.includes(relay.url)), 'each event remembers its relay');

    const seenFor = await eventually('a nostr.changed naming the DVM', () =>
      notifications.find((n) => n.topic === 'nostr.changed' && n.payload.dvms.includes(dvm.pubkey) && n.payload.jobs.includes(request.id)));
    assert.equal(seenFor.topic, 'nostr.changed');
  });

  it('lists the simulated DVM with its NIP-89 name, kind and results', async () => {
    const listed = await eventually('the DVM in nostr.dvms', async () =>
      (await engine.call('nostr.dvms', {})).find((entry) => entry.pubkey === dvm.pubkey && entry.results >= 1));
    assert.equal(listed.name, 'Echo DVM');
    assert.ok(listed.hasProfile);
    assert.ok(listed.kinds.includes(5050));
    assert.equal(listed.status, 'up');
  });

  it('tells an encrypted job and its scheme (NIP-04)', async () => {
    const request = buildJobRequest({ secretKey: customerKey, input: 'secret', encrypt: true, dvmPubkey: dvm.pubkey });
    await customer.publish(request);
    const jobTrace = await traceWhen(request.id, 'result-delivered');
    assert.equal(jobTrace.encrypted, true);
    assert.equal(jobTrace.encryptionScheme, 'nip04');
  });

  it('records an error answer as status error', async () => {
    const request = buildJobRequest({ secretKey: customerKey, fail: true });
    await customer.publish(request);
    const jobTrace = await traceWhen(request.id, 'error');
    assert.equal(jobTrace.events.filter((event) => event.role === 'result').length, 0);
  });

  it('follows a chained job both ways', async () => {
    const first = buildJobRequest({ secretKey: customerKey, input: 'first' });
    await customer.publish(first);
    await traceWhen(first.id, 'result-delivered');
    const second = buildChainedJob({ secretKey: customerKey, previousRequestId: first.id });
    await customer.publish(second);
    const child = await traceWhen(second.id, 'result-delivered');
    assert.deepEqual(child.parents.map((link) => link.requestId), [first.id]);
    const parent = await trace(first.id);
    assert.ok(parent?.children.some((link) => link.requestId === second.id), 'the parent names its sub-job');
  });

  it('loses no event when the relay is killed mid-stream and restarted (backfill)', async () => {
    const before = await engine.call('nostr.metrics', {});
    const streamed: Event[] = [];
    for (let i = 0; i < 5; i++) {
      const request = buildJobRequest({ secretKey: customerKey, kind: 5300, input: `streamed ${i}` });
      streamed.push(request);
      await customer.publish(request);
    }
    const whileAway: Event[] = [];
    await relay.restart(async (inject) => {
      for (let i = 0; i < 7; i++) {
        const request = buildJobRequest({ secretKey: customerKey, kind: 5300, input: `while away ${i}` });
        whileAway.push(request);
        await inject(request);
      }
    });
    for (const request of [...streamed, ...whileAway]) {
      await eventually(`request ${request.id.slice(0, 8)} in the store`, async () => ((await engine.call('nostr.event', { id: request.id })) ? true : undefined));
    }
    const afterMetrics = await eventually('the metrics to count them', async () => {
      const metrics = await engine.call('nostr.metrics', {});
      return metrics.requests >= before.requests + 12 ? metrics : undefined;
    });
    assert.equal(afterMetrics.requests, before.requests + 12, 'each request counted once, none twice');
    const collector = await eventually('the collector to be connected again', () => {
      const entry = engine.status().collectors.find((c) => c.name === relay.url);
      return entry?.state === 'connected' ? entry : undefined;
    });
    assert.match(collector.detail ?? '', /1 reconnects/);
  });
});
