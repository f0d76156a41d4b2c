import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latencySlot, nearestRank, slotFloor } from '../../src/core/nostr/latencyHistogram';
import { canonicalJson } from '../../src/core/nostr/nostrEvent';
import { canonicalLength, serialize } from '../../src/core/nostr/rawEvents';
import { bucketRanges } from '../../src/core/nostr/windowRanges';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor, fixtureEvents, openCore } from '../fixtures/nostr/eventBuilders';

const HOUR = 3600;
const DAY = 86_400;
const NOW = 1_760_000_000 + 1_234; // not on an hour or day boundary

describe('nostr aggregates: building blocks', () => {
  it('latency slots are exact below 64 s and at most 4.5 % wide above, in order', () => {
    for (let v = 0; v < 64; v++) assert.equal(slotFloor(latencySlot(v)), v);
    let previous = -1;
    for (let v = 0; v < 200_000; v += v < 1_000 ? 1 : 97) {
      const slot = latencySlot(v);
      assert.ok(slot >= previous, `slots never go down (${v})`);
      previous = slot;
      const floor = slotFloor(slot);
      assert.equal(latencySlot(floor), slot, `the floor of slot ${slot} is in it`);
      assert.ok(floor <= v && v - floor <= Math.max(0, v * 0.045), `${v} is within 4.5 % above its slot floor ${floor}`);
      if (floor > 0) assert.ok(latencySlot(floor - 1) < slot, `${floor} is the smallest value of slot ${slot}`);
    }
  });

  it('nearest rank over counts equals nearest rank over the values', () => {
    const values = [5, 1, 9, 9, 3, 3, 3, 12, 40, 2];
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    const sorted = [...values].sort((a, b) => a - b);
    const expected = [0.5, 0.9].map((p) => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]);
    assert.deepEqual(nearestRank([...counts].sort((a, b) => a[0] - b[0]), [0.5, 0.9]), expected);
    assert.deepEqual(nearestRank([], [0.5]), [null]);
  });

  it('window bucket ranges cover exactly the hours from the hour of `since` to `until`, days where whole', () => {
    for (const [since, until] of [[NOW - HOUR, NOW], [NOW - DAY, NOW], [NOW - 7 * DAY, NOW], [NOW - 30 * DAY, NOW], [NOW - 2 * DAY + 5, NOW], [0, 3 * DAY], [NOW, NOW - 10]]) {
      const expected: number[] = [];
      for (let hour = since - (since % HOUR); hour <= until; hour += HOUR) expected.push(hour);
      const covered: number[] = [];
      for (const range of bucketRanges(since, until)) {
        const step = range.period === 'h' ? HOUR : DAY;
        for (let bucket = range.from - (range.from % step) + (range.from % step === 0 ? 0 : step); bucket <= range.to; bucket += step) {
          if (range.period === 'h') covered.push(bucket);
          else for (let hour = bucket; hour < bucket + DAY; hour += HOUR) covered.push(hour);
        }
      }
      assert.deepEqual(covered, expected, `${since}..${until}`);
    }
    assert.ok(bucketRanges(NOW - 30 * DAY, NOW).some((range) => range.period === 'd'), '30 days are read as days');
  });

  it('the size limit is measured on the canonical JSON without building it', () => {
    const unusual: NostrEvent = { ...fixtureEvents()[0], content: 'nul \u0000, quote ", emoji 🦀, lone \ud800', tags: [['p', 'x'], []] };
    for (const event of [...fixtureEvents(), unusual]) assert.equal(canonicalLength(serialize(event)), canonicalJson(event).length);
  });
});

describe('nostr aggregates: what the metrics read', () => {
  it('window users are exact to the second, also with a request dated after the window ends', async () => {
    const kit = await openCore();
    try {
      const [early, inside, future, both] = [new Actor(), new Actor(), new Actor(), new Actor()];
      const since = NOW - DAY;
      await kit.core.ingest(undefined, [
        early.sign(5050, [], '', since - 1), // one second too early, same hour bucket as `since`
        inside.sign(5050, [], '', since),
        inside.sign(5100, [], '', NOW - 10),
        future.sign(5050, [], '', NOW + 3 * HOUR), // after the window's end only
        both.sign(5100, [], '', NOW - 20),
        both.sign(5100, [], '', NOW + DAY), // newest request is later than the window, but one is inside
      ]);
      const m = kit.core.metrics(NOW);
      assert.equal(m.windows['24h'].users, 2, 'inside and both');
      assert.equal(m.windows['24h'].requests, 4, 'counts are per hour bucket: since−1 is in the first bucket, the future ones are not');
      assert.equal(m.users, 4);
      assert.deepEqual([m.windows['24h'].mostPopularKindByUsers?.kind, m.windows['24h'].mostPopularKindByUsers?.count], [5100, 2]);
      assert.deepEqual([m.mostPopularKindByUsers?.kind, m.mostPopularKindByUsers?.count], [5050, 3]);
      assert.equal(m.windows['1h'].users, 2);
    } finally {
      await kit.close();
    }
  });

  it('response-time percentiles follow a response that moves: an earlier result arriving later replaces the first', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const base = NOW - 2 * HOUR;
      const requests = [0, 1, 2].map((i) => customer.sign(5050, [], String(i), base + i));
      await kit.core.ingest(undefined, [
        ...requests,
        dvm.sign(6050, [['e', requests[0].id]], 'a', base + 50),
        dvm.sign(6050, [['e', requests[1].id]], 'b', base + 1 + 20),
        dvm.sign(6050, [['e', requests[2].id]], 'c', base + 2 + 30),
      ]);
      assert.deepEqual([kit.core.metrics(NOW).medianResponseSec, kit.core.metrics(NOW).p90ResponseSec], [30, 50]);
      // A result of the first job dated 10 s after its request, delivered late: that job's response time is now 10.
      await kit.core.ingest(undefined, [dvm.sign(6050, [['e', requests[0].id]], 'a2', base + 10)]);
      const m = kit.core.metrics(NOW);
      assert.deepEqual([m.medianResponseSec, m.p90ResponseSec], [20, 30], 'times are 10, 20, 30');
      assert.deepEqual([m.windows['24h'].medianResponseSec, m.windows['24h'].p90ResponseSec], [20, 30], 'the window histogram moved the same way');
      assert.equal(m.windows['1h'].medianResponseSec, null, 'no pair answered in the last hour');
      assert.equal(kit.core.trace(requests[0].id)?.dvms[0].responseSec, 10);
    } finally {
      await kit.close();
    }
  });

  it('window percentiles are estimates above 64 s: within one slot of the exact value', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const base = NOW - 3 * HOUR;
      const delays = [70, 100, 300, 900, 1_500];
      const events: NostrEvent[] = [];
      delays.forEach((delay, i) => {
        const request = customer.sign(5050, [], String(i), base + i);
        events.push(request, dvm.sign(6050, [['e', request.id]], 'r', base + i + delay));
      });
      await kit.core.ingest(undefined, events);
      const m = kit.core.metrics(NOW);
      assert.deepEqual([m.medianResponseSec, m.p90ResponseSec], [300, 1_500], 'all-time is exact');
      const window = m.windows['24h'];
      assert.equal(window.medianResponseSec, slotFloor(latencySlot(300)));
      assert.ok(window.medianResponseSec !== null && window.medianResponseSec <= 300 && window.medianResponseSec >= 300 * 0.955);
      assert.ok(window.p90ResponseSec !== null && window.p90ResponseSec <= 1_500 && window.p90ResponseSec >= 1_500 * 0.955);
    } finally {
      await kit.close();
    }
  });

  it('an old result re-imported after its raw copy is gone is a duplicate, not a second result', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const old = NOW - 10 * DAY;
      const request = customer.sign(5300, [], '', old);
      const feedback = dvm.sign(7000, [['e', request.id], ['status', 'processing']], '', old + 1);
      const result = dvm.sign(6300, [['e', request.id]], '[]', old + 4);
      await kit.core.ingest('wss://a.example', [request, feedback, result]);
      const before = kit.core.metrics(NOW);
      kit.core.maintain(NOW, { rawWindowHours: 48, historyDays: 90 });
      assert.equal(kit.core.event(result.id), null, 'raw copy gone');
      const again = await kit.core.ingest('wss://b.example', [result, feedback, request]);
      assert.deepEqual([again.accepted, again.duplicates], [0, 3]);
      const after = kit.core.metrics(NOW);
      for (const field of ['requests', 'results', 'feedback', 'users', 'dvms'] as const) assert.equal(after[field], before[field], field);
      assert.equal(after.windows['30d'].results, 1);
      assert.equal(kit.core.dvm(dvm.pubkey, NOW)?.summary.results, 1);
    } finally {
      await kit.close();
    }
  });

  it('copies from more relays are duplicates; every relay that carried the event is listed', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const request = customer.sign(5050, [], 'same', NOW - 100);
      await kit.core.ingest(undefined, [request]);
      await kit.core.ingest('wss://b.example', [request]);
      await kit.core.ingest('wss://c.example', [request, request]);
      const trace = kit.core.trace(request.id);
      assert.deepEqual(trace?.events[0].relays.sort(), ['wss://b.example', 'wss://c.example']);
      assert.deepEqual(kit.core.event(request.id), request, 'read back field for field');
      assert.equal(kit.core.metrics(NOW).requests, 1);
    } finally {
      await kit.close();
    }
  });
});
