import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neventEncode, noteEncode } from 'nostr-tools/nip19';
import { encryptionScheme } from '../../src/core/nostr/encryption';
import { parseAmountTag, parseMsats } from '../../src/core/nostr/payments';
import { Actor, fixtureEvent, fixtureEvents, openCore } from '../fixtures/nostr/eventBuilders';

const T = 1_750_000_000;
/** A real invoice from the fixture (lnbc250n: 25,000 msats) and its feedback event. */
const FIXTURE_BOLT11_EVENT = '822dda3b';

describe('nostr job assembly', () => {
  it('links by first e tag, and by the request tag when there is no e tag; result before request is linked later', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const request = customer.sign(5050, [['i', 'hello', 'text'], ['p', dvm.pubkey]], '', T);
      const result = dvm.sign(6050, [['request', JSON.stringify(request)], ['p', customer.pubkey]], 'hi', T + 5);
      const feedback = dvm.sign(7000, [['e', request.id], ['status', 'processing']], '', T + 1);
      // Result and feedback first, request afterwards.
      await kit.core.ingest(undefined, [result, feedback]);
      assert.equal(kit.core.trace(result.id)?.request, null);
      await kit.core.ingest(undefined, [request]);
      const trace = kit.core.trace(result.id);
      assert.ok(trace);
      assert.equal(trace.requestId, request.id);
      assert.equal(trace.askedId, result.id);
      assert.deepEqual(trace.events.map((event) => event.role), ['request', 'feedback', 'result']);
      assert.equal(trace.dvms[0].status, 'result-delivered');
      assert.equal(trace.dvms[0].responseSec, 5);
      assert.equal(trace.dvms[0].feedbackSec, 1);
      assert.equal(trace.kindName, 'text generation');
      const summary = kit.core.dvm(dvm.pubkey, T + 10);
      assert.equal(summary?.summary.jobs, 1);
      assert.equal(summary?.summary.results, 1);
      assert.equal(summary?.summary.status, 'up');
      assert.deepEqual(summary?.summary.kinds, [5050]);
    } finally {
      await kit.close();
    }
  });

  it('links the real fixture feedback and results to their requests (e tag, request-tag fallback)', async () => {
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, fixtureEvents());
      // 6050 has an e tag; its request a53c9389 and a processing feedback are in the fixture.
      const trace = kit.core.trace('ad1ac53c' + fixtureEvent('ad1ac53c').id.slice(8));
      assert.equal(trace?.requestId, fixtureEvent('a53c9389').id);
      assert.deepEqual(trace?.events.map((event) => event.id.slice(0, 8)), ['a53c9389', '0642fc0c', 'ad1ac53c']);
      // 6001's first tag is `request` (its e tag comes later): linked to 41746577…, a request not in the set.
      const orphan = kit.core.trace(fixtureEvent('f873a966').id);
      assert.equal(orphan?.requestId.slice(0, 8), '41746577');
      assert.equal(orphan?.request, null);
      // 6304 has neither e nor request tag (and a malformed first tag): counted, linked to nothing.
      assert.equal(kit.core.trace(fixtureEvent('e8dcef20').id), null);
      assert.ok(kit.core.event(fixtureEvent('e8dcef20').id));
    } finally {
      await kit.close();
    }
  });

  it('falls back to the request tag when the first e tag is malformed', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const request = customer.sign(5100, [], '', T);
      const result = dvm.sign(6100, [['e', 'not-an-id'], ['request', JSON.stringify(request)]], 'img', T + 2);
      await kit.core.ingest(undefined, [request, result]);
      assert.equal(kit.core.trace(result.id)?.requestId, request.id);
    } finally {
      await kit.close();
    }
  });

  it('job status per DVM is the latest; within one second the later stage wins', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const fast = new Actor();
      const failing = new Actor();
      const request = customer.sign(5050, [], '', T);
      const events = [
        request,
        // Same second, out of order: result-delivered outranks processing.
        fast.sign(6050, [['e', request.id]], 'done', T + 3),
        fast.sign(7000, [['e', request.id], ['status', 'processing']], '', T + 3),
        failing.sign(7000, [['e', request.id], ['status', 'processing']], '', T + 1),
        failing.sign(7000, [['e', request.id], ['status', 'error', 'out of GPUs']], '', T + 2),
        // An older event arriving last does not roll the status back.
        failing.sign(7000, [['e', request.id], ['status', 'payment-required'], ['amount', '1000']], '', T),
      ];
      await kit.core.ingest(undefined, events);
      const trace = kit.core.trace(request.id);
      const byDvm = new Map(trace?.dvms.map((dvm) => [dvm.pubkey, dvm.status]));
      assert.equal(byDvm.get(fast.pubkey), 'result-delivered');
      assert.equal(byDvm.get(failing.pubkey), 'error');
      // Trace order: created_at, then stage, then arrival.
      assert.deepEqual(trace?.events.map((event) => event.status ?? event.role),
        ['request', 'payment-required', 'processing', 'error', 'processing', 'result-delivered']);
      const metrics = kit.core.metrics(T + 60);
      assert.equal(metrics.successRate, 0.5);
      assert.equal(metrics.errorRate, 0.5);
    } finally {
      await kit.close();
    }
  });

  it('a deletion (kind 5) by the request author cancels the job; by anyone else it does not', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const stranger = new Actor();
      const first = customer.sign(5050, [], '', T);
      const second = customer.sign(5050, [['i', 'b', 'text']], '', T + 1);
      // The author's deletion arrives before its request.
      await kit.core.ingest(undefined, [customer.sign(5, [['e', first.id], ['k', '5050']], '', T + 10), stranger.sign(5, [['e', second.id]], '', T + 10)]);
      await kit.core.ingest(undefined, [first, second]);
      assert.equal(kit.core.trace(first.id)?.cancelled, true);
      assert.equal(kit.core.trace(second.id)?.cancelled, false);
      assert.ok(kit.core.trace(first.id)?.events.some((event) => event.role === 'deletion'));
    } finally {
      await kit.close();
    }
  });

  it('follows chains (i tag of type job) in both directions, recursively', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const a = customer.sign(5000, [], '', T);
      const b = customer.sign(5001, [['i', a.id, 'job']], '', T + 1);
      const c = customer.sign(5002, [['i', b.id, 'job']], '', T + 2);
      await kit.core.ingest(undefined, [c, b, a]);
      const middle = kit.core.trace(b.id);
      assert.deepEqual(middle?.parents.map((link) => [link.requestId, link.depth]), [[a.id, 1]]);
      assert.deepEqual(middle?.children.map((link) => [link.requestId, link.depth]), [[c.id, 1]]);
      const leaf = kit.core.trace(c.id);
      assert.deepEqual(leaf?.parents.map((link) => [link.kindName, link.depth]), [['summarization', 1], ['text extraction', 2]]);
      // The real 5102 request names two parent jobs that are not in the set.
      await kit.core.ingest(undefined, [fixtureEvent('7e6dfd2f')]);
      assert.equal(kit.core.trace(fixtureEvent('7e6dfd2f').id)?.parents.length, 2);
    } finally {
      await kit.close();
    }
  });

  it('sats: bolt11 amounts decoded, a disagreeing amount tag flagged, earned only with a result, proven by zaps', async () => {
    const kit = await openCore();
    try {
      const invoice = fixtureEvent(FIXTURE_BOLT11_EVENT).tags.find((tag) => tag[0] === 'amount')?.[2];
      assert.ok(invoice);
      const customer = new Actor();
      const dvm = new Actor();
      const zapper = new Actor();
      const request = customer.sign(5050, [], '', T);
      // The tag says 30,000 msats; the invoice says 25,000: the invoice wins and the disagreement is flagged.
      const quote = dvm.sign(7000, [['e', request.id], ['status', 'payment-required'], ['amount', '30000', invoice]], '', T + 1);
      const result = dvm.sign(6050, [['e', request.id]], 'answer', T + 5);
      const zap = zapper.sign(9735, [['e', result.id], ['p', dvm.pubkey], ['bolt11', invoice], ['description', '{}']], '', T + 6);
      // The zap arrives before the result it pays.
      await kit.core.ingest(undefined, [request, quote, zap]);
      let metrics = kit.core.metrics(T + 60);
      assert.equal(metrics.satsRequested, 25);
      assert.equal(metrics.satsEarned, 0);
      assert.equal(metrics.satsProven, 0);
      await kit.core.ingest(undefined, [result]);
      metrics = kit.core.metrics(T + 60);
      assert.equal(metrics.satsEarned, 25);
      assert.equal(metrics.satsProven, 25);
      assert.equal(metrics.windows['1h'].satsProven, 25);
      const trace = kit.core.trace(request.id);
      const quoted = trace?.events.find((event) => event.id === quote.id);
      assert.equal(quoted?.amountSats, 25);
      assert.equal(quoted?.amountMismatch, true);
      assert.equal(trace?.dvms[0].amountMismatch, true);
      assert.equal(trace?.dvms[0].satsProven, 25);
      assert.ok(trace?.events.some((event) => event.role === 'zap' && event.amountSats === 25));
      const summary = kit.core.dvm(dvm.pubkey, T + 60)?.summary;
      assert.deepEqual([summary?.satsRequested, summary?.satsEarned, summary?.satsProven], [25, 25, 25]);
    } finally {
      await kit.close();
    }
  });

  it('amounts: "100_000" reads as 100000 msats; garbage is no amount; fixture invoices agree with their tags', () => {
    assert.equal(parseMsats('100_000'), 100_000);
    assert.equal(parseMsats('51000'), 51_000);
    assert.equal(parseMsats('1e5'), undefined);
    assert.equal(parseMsats('-5'), undefined);
    assert.equal(parseMsats('_100'), undefined);
    const real = fixtureEvent('6ed9c0f5').tags.find((tag) => tag[0] === 'amount');
    assert.deepEqual(real, ['amount', '100_000', 'botlab@zeuspay.com']);
    const parsed = parseAmountTag(real);
    assert.equal(parsed.msats, 100_000);
    assert.equal(parsed.bolt11, undefined, 'a lightning address is not an invoice');
    for (const prefix of ['822dda3b', '66c25eaa', 'ffbbecd2']) {
      const amount = parseAmountTag(fixtureEvent(prefix).tags.find((tag) => tag[0] === 'amount'));
      assert.equal(amount.bolt11Msats, amount.tagMsats);
      assert.equal(amount.mismatch, false);
    }
    assert.equal(parseAmountTag(['amount', '1000', 'lnbc1garbage']).problem?.includes('bolt11'), true);
  });

  it('sats requested over the fixture: only payment-required feedback counts', async () => {
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, fixtureEvents());
      // Independently: payment-required feedback with a linked request id, amount (bolt11 wins) in msats.
      let msats = 0;
      for (const event of fixtureEvents()) {
        if (event.kind !== 7000 || event.tags.find((tag) => tag[0] === 'status')?.[1] !== 'payment-required') continue;
        const amount = parseAmountTag(event.tags.find((tag) => tag[0] === 'amount'));
        if (amount.msats !== undefined && event.tags.some((tag) => tag[0] === 'e')) msats += amount.msats;
      }
      assert.equal(msats, 51_000 + 25_000 + 1_545_000);
      assert.equal(kit.core.metrics(T).satsRequested, Math.floor(msats / 1000));
    } finally {
      await kit.close();
    }
  });

  it('tells NIP-04 from NIP-44 encrypted requests', async () => {
    assert.equal(encryptionScheme('igO5DqKFxst127yUEU1CfARp5upsuE7GqhAP7VKwXAo=?iv=KS/hw2BJZEgy6iGPHDFJbw=='), 'nip04');
    assert.equal(encryptionScheme('AkHOFpMwDlB2Dw+8Qm26IKJnkWUHyVea6oY37GI9nR+WLMfsF'), 'nip44');
    assert.equal(encryptionScheme('plain text'), 'unknown');
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, fixtureEvents());
      const schemes = new Map<string, string | null>();
      for (const event of fixtureEvents().filter((e) => e.kind >= 5000 && e.kind <= 5999 && e.tags.some((tag) => tag[0] === 'encrypted'))) {
        schemes.set(event.id.slice(0, 8), kit.core.trace(event.id)?.encryptionScheme ?? null);
      }
      const expected = new Map<string, string>();
      for (const event of fixtureEvents().filter((e) => e.kind >= 5000 && e.kind <= 5999 && e.tags.some((tag) => tag[0] === 'encrypted'))) {
        const nip04 = event.content.includes('?iv=');
        const firstByte = Buffer.from(event.content.slice(0, 4), 'base64')[0];
        expected.set(event.id.slice(0, 8), nip04 ? 'nip04' : firstByte === 2 ? 'nip44' : 'unknown');
      }
      assert.deepEqual(schemes, expected);
      assert.equal(schemes.get('0383fc28'), 'nip44');
      assert.equal(schemes.get('a0de2ea1'), 'nip44');
      assert.equal(kit.core.metrics(T).encryptedRequests, expected.size);
    } finally {
      await kit.close();
    }
  });

  it('NIP-89 profiles: newest 31990 wins, kind 0 fills in; announced names name unknown kinds', async () => {
    const kit = await openCore();
    try {
      const dvm = new Actor();
      await kit.core.ingest(undefined, [
        dvm.sign(31990, [['d', 'a'], ['k', '5123']], JSON.stringify({ name: 'Old name' }), T),
        dvm.sign(31990, [['d', 'a'], ['k', '5123']], JSON.stringify({ name: 'Tarot Reader', image: 'https://x/p.png', encryptionSupported: true, nip90Params: { deck: {} } }), T + 10),
        dvm.sign(0, [], JSON.stringify({ name: 'meta', about: 'from kind 0', lud16: 'dvm@example.com' }), T),
        dvm.sign(11998, [], '', T + 20),
      ]);
      const summary = kit.core.dvm(dvm.pubkey, T + 30)?.summary;
      assert.equal(summary?.name, 'Tarot Reader');
      assert.equal(summary?.picture, 'https://x/p.png');
      assert.equal(summary?.about, 'from kind 0');
      assert.equal(summary?.lud16, 'dvm@example.com');
      assert.equal(summary?.encryptionSupported, true);
      assert.equal(summary?.hasProfile, true);
      assert.equal(summary?.status, 'up', 'a heartbeat is a sign of life');
      assert.equal(summary?.lastSeen, T + 20);
      assert.deepEqual(summary?.kinds, [5123]);
      const kind = kit.core.kinds().find((item) => item.kind === 5123);
      assert.deepEqual([kind?.name, kind?.nameSource], ['Tarot Reader', 'announced']);
      assert.equal(kit.core.metrics(T + 30).profiles, 1);
    } finally {
      await kit.close();
    }
  });

  it('liveness: silent when a request addressed to it goes unanswered past the threshold', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const answered = customer.sign(5050, [['p', dvm.pubkey]], '', T);
      await kit.core.ingest(undefined, [answered, dvm.sign(6050, [['e', answered.id]], 'ok', T + 2)]);
      assert.equal(kit.core.dvm(dvm.pubkey, T + 60)?.summary.status, 'up');
      await kit.core.ingest(undefined, [customer.sign(5050, [['p', dvm.pubkey], ['i', 'again', 'text']], '', T + 100)]);
      assert.equal(kit.core.dvm(dvm.pubkey, T + 200)?.summary.status, 'up', 'not yet past the threshold');
      assert.equal(kit.core.dvm(dvm.pubkey, T + 100 + 11 * 60)?.summary.status, 'silent');
      const jobs = kit.core.dvm(dvm.pubkey, T + 1000)?.recentJobs;
      assert.deepEqual(jobs?.map((job) => job.status), ['waiting', 'result-delivered']);
      await kit.core.ingest(undefined, [dvm.sign(11998, [], '', T + 1000)]);
      assert.equal(kit.core.dvm(dvm.pubkey, T + 1010)?.summary.status, 'up');
      assert.equal(kit.core.dvm(dvm.pubkey, T + 100_000)?.summary.status, 'unknown');
    } finally {
      await kit.close();
    }
  });

  it('trace and event accept hex, note1… and nevent1…', async () => {
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, fixtureEvents());
      const id = fixtureEvent('a53c9389').id;
      for (const input of [id, noteEncode(id), neventEncode({ id, relays: ['wss://nos.lol'] }), `nostr:${noteEncode(id)}`]) {
        assert.equal(kit.core.trace(input)?.requestId, id, input);
        assert.equal(kit.core.event(input)?.id, id, input);
      }
      assert.equal(kit.core.trace('note1notvalid'), null);
      assert.equal(kit.core.trace('f'.repeat(64)), null);
    } finally {
      await kit.close();
    }
  });
});
