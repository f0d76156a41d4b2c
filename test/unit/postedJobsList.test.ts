import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildJobRequest } from '../../src/core/jobs/jobRequest';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { startPublishAnsweringRelay, type PublishAnsweringRelay } from '../support/publishAnsweringRelay';
import { buildZapReceipt } from '../support/zapReceipt';

/**
 * "My jobs" and the playground's target picker, through the engine's requests: a job published through
 * `nostr.publish` is listed (with status, input and payment) and announced; one never posted is not; a zap receipt
 * for its invoice marks it paid; one no relay accepted is not. `nostr.dvmChoices` says what the full DVM summaries
 * say, in the same order. The relays are loopback stand-ins that accept or refuse every event.
 */

const CLOSED_RELAY = 'ws://127.0.0.1:9';
let engine: Engine;
let accepting: PublishAnsweringRelay;
let refusing: PublishAnsweringRelay;
const notifications: EngineNotification[] = [];

before(async () => {
  accepting = await startPublishAnsweringRelay(() => [true, '']);
  refusing = await startPublishAnsweringRelay(() => [false, 'blocked: paid relay']);
  engine = await Engine.start({ dbPath: undefined, settings: { relays: [], trackedSubnets: [] }, collect: false }, { notify: (notification) => notifications.push(notification), log: { log: () => undefined } });
});

after(async () => {
  await engine.dispose();
  await Promise.all([accepting.stop(), refusing.stop()]);
});

test('a posted job is listed newest first with its kind name, input, status and the zap receipts that paid it', async () => {
  const customer = SecretKey.generate();
  const dvm = new Actor();
  const now = Math.floor(Date.now() / 1000);
  const first = buildJobRequest({ kind: 5050, inputs: [{ data: 'first question', type: 'text' }], dvms: [dvm.pubkey], relays: [CLOSED_RELAY] }, customer, now - 60);
  const second = buildJobRequest({ kind: 5100, inputs: [{ data: first.id, type: 'job' }], relays: [CLOSED_RELAY] }, customer, now - 30);
  const encrypted = buildJobRequest({ kind: 5050, inputs: [{ data: 'hidden', type: 'text' }], dvms: [dvm.pubkey], relays: [CLOSED_RELAY], encryption: 'nip04' }, customer, now - 10);
  const notPosted = buildJobRequest({ kind: 5050, inputs: [{ data: 'collected, not posted here', type: 'text' }], relays: [CLOSED_RELAY] }, SecretKey.generate(), now);
  for (const event of [first, second, encrypted]) await engine.call('nostr.publish', { event, relays: [accepting.url] });
  await engine.call('nostr.ingest', { events: [notPosted] });
  assert.deepEqual(notifications.filter((each) => each.topic === 'nostr.posted').map((each) => (each.payload as { id: string }).id), [first.id, second.id, encrypted.id]);

  const invoice = dvm.sign(7000, [['status', 'payment-required', 'pay'], ['amount', '21000'], ['e', first.id], ['p', customer.publicKey]], '', now - 50);
  const result = dvm.sign(6050, [['e', first.id], ['p', customer.publicKey]], 'answer', now - 40);
  await engine.call('nostr.ingest', { events: [invoice, result] });
  let listed = await engine.call('nostr.postedJobs', {});
  assert.deepEqual(listed.map((job) => job.requestId), [encrypted.id, second.id, first.id]);
  const [hidden, chained, plain] = listed;
  assert.deepEqual({ kindName: plain.kindName, input: plain.input, status: plain.status, dvmCount: plain.dvmCount, zaps: plain.zaps },
    { kindName: 'text generation', input: { data: 'first question', type: 'text' }, status: 'result-delivered', dvmCount: 1, zaps: 0 });
  assert.deepEqual(chained.input, { data: first.id, type: 'job' });
  assert.equal(chained.status, 'waiting');
  assert.equal(hidden.encrypted, true);
  assert.equal(hidden.input, undefined, 'an encrypted job\'s input is not in clear');

  const receipt = buildZapReceipt({ senderKey: new Actor().secret, recipient: dvm.pubkey, eventId: invoice.id, amountMsats: 21_000, relayUrl: CLOSED_RELAY });
  await engine.call('nostr.ingest', { events: [receipt] });
  listed = await engine.call('nostr.postedJobs', {});
  assert.deepEqual(listed.map((job) => [job.zaps, job.paidMsats]), [[0, 0], [0, 0], [1, 21_000]]);
});

test('a job no relay accepted is not listed as yours, nor announced; posted again to a relay that takes it, it is', async () => {
  const request = buildJobRequest({ kind: 5050, inputs: [{ data: 'nobody took this', type: 'text' }], relays: [refusing.url] }, SecretKey.generate());
  const announced = () => notifications.filter((each) => each.topic === 'nostr.posted' && (each.payload as { id: string }).id === request.id).length;
  const refused = await engine.call('nostr.publish', { event: request, relays: [refusing.url, CLOSED_RELAY] });
  assert.deepEqual(refused.relays.map((answer) => answer.outcome), ['rejected', 'failed']);
  assert.equal((await engine.call('nostr.postedJobs', {})).some((job) => job.requestId === request.id), false);
  assert.equal(announced(), 0);
  assert.equal(await engine.call('nostr.postedRequest', { id: request.id }), null);

  await engine.call('nostr.publish', { event: request, relays: [refusing.url, accepting.url] });
  assert.equal((await engine.call('nostr.postedJobs', {})).some((job) => job.requestId === request.id), true);
  assert.equal(announced(), 1);
});

test('the picker\'s DVM choices say what the full DVM summaries say (name, kinds, liveness, median response), in their order', async () => {
  const now = Math.floor(Date.now() / 1000);
  const customer = new Actor();
  const events = [];
  for (let i = 0; i < 6; i++) {
    const dvm = new Actor();
    events.push(dvm.sign(31990, [['d', `dvm-${i}`], ['k', String(5000 + i)]], JSON.stringify({ name: `DVM ${i}` }), now - 100));
    for (let j = 0; j < i; j++) {
      const request = customer.sign(5000 + i, [['i', `job ${i}.${j}`, 'text'], ['p', dvm.pubkey]], '', now - 600);
      events.push(request, dvm.sign(6000 + i, [['e', request.id], ['p', customer.pubkey]], 'done', now - 600 + 10 * (j + 1)));
    }
  }
  // Every liveness case: silent (a request owed since its last answer), cancelled (owed nothing), a heartbeat only,
  // an answer dated after the clock.
  const silent = new Actor();
  const owed = customer.sign(5050, [['i', 'still waiting', 'text'], ['p', silent.pubkey]], '', now - 1_200);
  const old = customer.sign(5050, [['i', 'answered long ago', 'text'], ['p', silent.pubkey]], '', now - 7_200);
  events.push(silent.sign(31990, [['d', 'silent'], ['k', '5050']], JSON.stringify({ name: 'Silent DVM' }), now - 7_300), old, silent.sign(6050, [['e', old.id], ['p', customer.pubkey]], 'ok', now - 7_100), owed);
  const spared = new Actor();
  const cancelledJob = customer.sign(5050, [['i', 'never mind', 'text'], ['p', spared.pubkey]], '', now - 1_200);
  events.push(spared.sign(31990, [['d', 'spared'], ['k', '5050']], JSON.stringify({ name: 'Spared DVM' }), now - 7_300), cancelledJob, customer.sign(5, [['e', cancelledJob.id]], '', now - 1_100));
  const beating = new Actor();
  events.push(beating.sign(31990, [['d', 'beat'], ['k', '5050']], JSON.stringify({ name: 'Beating DVM' }), now - 7_300), beating.sign(11998, [['status', 'online']], '', now - 60));
  const ahead = new Actor();
  const early = customer.sign(5050, [['i', 'from a fast clock', 'text'], ['p', ahead.pubkey]], '', now - 1_200);
  events.push(ahead.sign(0, [], JSON.stringify({ name: 'Ahead DVM (kind 0)' }), now - 100), early, ahead.sign(6050, [['e', early.id], ['p', customer.pubkey]], 'ok', now + 3_600));
  await engine.call('nostr.ingest', { events });
  const summaries = await engine.call('nostr.dvms', { limit: 500, now });
  const choices = await engine.call('nostr.dvmChoices', { limit: 1_000, now });
  assert.ok(choices.length >= 6);
  assert.deepEqual(choices, summaries.map((summary) => ({
    pubkey: summary.pubkey, ...(summary.name !== undefined ? { name: summary.name } : {}), kinds: summary.kinds, status: summary.status,
  })));
  const medians = await engine.call('nostr.dvmMedians', { pubkeys: choices.map((choice) => choice.pubkey) });
  assert.deepEqual(medians, Object.fromEntries(summaries.map((summary) => [summary.pubkey, summary.medianResponseSec])));
  const byName = new Map(choices.map((choice) => [choice.name, choice]));
  assert.deepEqual([medians[byName.get('DVM 5')!.pubkey], byName.get('DVM 5')?.status], [30, 'up']);
  assert.deepEqual(['Silent DVM', 'Spared DVM', 'Beating DVM', 'Ahead DVM (kind 0)'].map((name) => byName.get(name)?.status), ['silent', 'unknown', 'up', 'up']);
});
