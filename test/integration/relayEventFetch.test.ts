import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from 'nostr-tools/pure';
import { fetchEventWithRelated } from '../../src/core/collectors/relayEventFetch';
import { silentLogger } from '../../src/core/util/logger';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { startRelayWithoutEose, type RelayWithoutEose } from '../support/relayWithoutEose';
import { Actor } from '../fixtures/nostr/eventBuilders';

/** A loopback port nothing listens on. */
const DEAD_RELAY = 'ws://127.0.0.1:1';

/**
 * The one-shot fetch against relays that behave and relays that do not: it ends, takes what the good relay has,
 * and names what went wrong with the others, instead of waiting on them round after round.
 */
describe('one-shot fetch of an event and its job', () => {
  let good: TestRelay;
  let silent: RelayWithoutEose;
  const customer = new Actor();
  const dvm = new Actor();
  const now = Math.floor(Date.now() / 1000);
  const request = customer.sign(5050, [['i', 'hello', 'text']], '', now - 10);
  const feedback = dvm.sign(7000, [['e', request.id], ['status', 'processing']], '', now - 9);
  const result = dvm.sign(6050, [['e', request.id]], 'hi', now - 8);

  before(async () => {
    good = await startRelay();
    silent = await startRelayWithoutEose();
    for (const event of [request, feedback, result]) {
      await good.inject(event);
      silent.publish(event as Event);
    }
  });
  after(async () => {
    await good?.stop();
    await silent?.stop();
  });

  it('gets the job from the relay that answers; a relay with no EOSE is asked once, a dead one is reported', async () => {
    const delivered = new Map<string, string[]>();
    const report = await fetchEventWithRelated({
      reference: result.id,
      relays: [good.url, silent.url, DEAD_RELAY],
      deliver: (relay, events) => {
        const ids = events.map((event) => (event as Event).id);
        delivered.set(relay, [...(delivered.get(relay) ?? []), ...ids]);
        return { accepted: ids.length };
      },
      log: silentLogger,
      maxWaitMs: 500,
    });
    assert.deepEqual(new Set(delivered.get(good.url)), new Set([request.id, feedback.id, result.id]));
    const byUrl = new Map(report.relays.map((entry) => [entry.url, entry]));
    assert.equal(byUrl.get(good.url)?.error, undefined);
    assert.match(byUrl.get(silent.url)?.error ?? '', /no EOSE within 500 ms; not asked further/);
    assert.equal(silent.requests, 1, 'the relay that never ends its answer is not asked the next questions');
    assert.match(byUrl.get(DEAD_RELAY)?.error ?? '', /could not connect/);
    assert.equal(report.received, [...delivered.values()].flat().length);
  });
});
