import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decode } from 'light-bolt11-decoder';
import * as nip04 from 'nostr-tools/nip04';
import { generateSecretKey, getPublicKey, verifyEvent, type Event } from 'nostr-tools/pure';
import { makeBolt11Invoice } from '../support/bolt11Invoice';
import { buildChainedJob, buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { eventually } from '../support/eventually';

/** The simulated DVM speaks NIP-90 as the engine expects a real one to: checked here against the loopback relay. */

const tagValue = (event: Event, name: string) => event.tags.find((tag) => tag[0] === name);
const statusOf = (event: Event) => tagValue(event, 'status')?.[1];

describe('DVM simulator on a loopback relay', () => {
  let relay: TestRelay;
  let dvm: DvmSimulator;
  let customer: RelayPublisher;
  const customerKey = generateSecretKey();

  before(async () => {
    relay = await startRelay();
    dvm = await DvmSimulator.start({ relayUrl: relay.url, name: 'Echo DVM', amountMsats: 21_000 });
    customer = await RelayPublisher.connect(relay.url);
  });
  after(async () => {
    customer.close();
    await dvm.stop();
    await relay.stop();
  });

  it('makes BOLT11 invoices that decode to their amount', () => {
    for (const msats of [1, 1_000, 21_000, 123_456_789, 100_000_000]) {
      const { invoice, paymentHashHex } = makeBolt11Invoice({ amountMsats: msats });
      const sections = decode(invoice).sections as { name: string; value?: unknown }[];
      assert.equal(sections.find((section) => section.name === 'amount')?.value, String(msats));
      assert.equal(sections.find((section) => section.name === 'payment_hash')?.value, paymentHashHex);
    }
  });

  it('announces itself with NIP-89 (31990, k=5050, JSON name)', () => {
    const announcement = dvm.announcement!;
    assert.equal(announcement.kind, 31990);
    assert.deepEqual(tagValue(announcement, 'k'), ['k', '5050']);
    assert.equal(JSON.parse(announcement.content).name, 'Echo DVM');
  });

  it('answers payment-required (real bolt11) → processing → 6050 result', async () => {
    const request = buildJobRequest({ secretKey: customerKey, input: 'hello' });
    await customer.publish(request);
    const answers = await eventually('three answers', () => (dvm.answersTo(request.id).length >= 3 ? dvm.answersTo(request.id) : undefined));
    assert.deepEqual(answers.map((event) => event.kind), [7000, 7000, 6050]);
    assert.deepEqual(answers.slice(0, 2).map(statusOf), ['payment-required', 'processing']);
    const amount = tagValue(answers[0], 'amount')!;
    assert.equal(amount[1], '21000');
    const sections = decode(amount[2]).sections as { name: string; value?: unknown }[];
    assert.equal(sections.find((section) => section.name === 'amount')?.value, '21000');
    assert.equal(answers[2].content, 'echo: hello');
    assert.equal(JSON.parse(tagValue(answers[2], 'request')![1]).id, request.id);
    assert.ok(answers.every((event) => verifyEvent({ ...event }) && tagValue(event, 'p')?.[1] === getPublicKey(customerKey)));
  });

  it('answers an encrypted job with an encrypted result only the customer can read', async () => {
    const request = buildJobRequest({ secretKey: customerKey, input: 'secret prompt', encrypt: true, dvmPubkey: dvm.pubkey });
    assert.match(request.content, /\?iv=/, 'NIP-04 ciphertext');
    assert.equal(request.tags.some((tag) => tag[0] === 'i'), false, 'the input is not in clear');
    await customer.publish(request);
    const result = await eventually('the result', () => dvm.answersTo(request.id).find((event) => event.kind === 6050));
    assert.ok(tagValue(result, 'encrypted'));
    assert.equal(nip04.decrypt(customerKey, dvm.pubkey, result.content), 'echo: secret prompt');
  });

  it('answers 7000 error to a job with the fail param', async () => {
    const request = buildJobRequest({ secretKey: customerKey, fail: true });
    await customer.publish(request);
    const answer = await eventually('the error', () => dvm.answersTo(request.id)[0]);
    assert.equal(answer.kind, 7000);
    assert.equal(statusOf(answer), 'error');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(dvm.answersTo(request.id).length, 1, 'no result after an error');
  });

  it('feeds a chained job the result of the job it names, and ignores jobs addressed to another DVM', async () => {
    const first = buildJobRequest({ secretKey: customerKey, input: 'one' });
    await customer.publish(first);
    await eventually('the first result', () => dvm.answersTo(first.id).find((event) => event.kind === 6050));
    const chained = buildChainedJob({ secretKey: customerKey, previousRequestId: first.id });
    assert.deepEqual(tagValue(chained, 'i'), ['i', first.id, 'job']);
    await customer.publish(chained);
    const result = await eventually('the chained result', () => dvm.answersTo(chained.id).find((event) => event.kind === 6050));
    assert.equal(result.content, 'echo: echo: one');

    const elsewhere = buildJobRequest({ secretKey: customerKey, dvmPubkey: getPublicKey(generateSecretKey()) });
    await customer.publish(elsewhere);
    const marker = buildJobRequest({ secretKey: customerKey, input: 'marker' });
    await customer.publish(marker);
    await eventually('the marker result', () => dvm.answersTo(marker.id).find((event) => event.kind === 6050));
    assert.equal(dvm.answersTo(elsewhere.id).length, 0);
  });
});
