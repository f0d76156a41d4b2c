import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor, DEFAULT_EXCLUDED, fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';

const isRequest = (e: NostrEvent) => e.kind >= 5000 && e.kind <= 5999 && !DEFAULT_EXCLUDED.includes(e.kind);
const isResult = (e: NostrEvent) => e.kind >= 6000 && e.kind <= 6999 && !DEFAULT_EXCLUDED.includes(e.kind);
const tag = (e: NostrEvent, name: string) => e.tags.find((t) => t[0] === name);

/** The request a response names, computed here without the engine: first e tag, else the request tag's id. */
function linkOf(e: NostrEvent): string | undefined {
  const first = tag(e, 'e')?.[1];
  if (first && /^[0-9a-f]{64}$/.test(first)) return first;
  try {
    return (JSON.parse(tag(e, 'request')?.[1] ?? '') as { id: string }).id;
  } catch {
    return undefined;
  }
}

function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

describe('nostr metrics over the real fixture', () => {
  const events = fixtureEvents();
  const requests = events.filter(isRequest);
  const results = events.filter(isResult);
  const feedback = events.filter((e) => e.kind === 7000);
  const newest = Math.max(...events.map((e) => e.created_at));
  let kit: CoreKit;

  before(async () => {
    kit = await openCore();
    await kit.core.ingest('wss://relay.example', events);
  });
  after(() => kit.close());

  it('all-time cards match counts computed from the fixture', () => {
    const m = kit.core.metrics(newest + 1);
    const dvms = new Set([...results, ...feedback].map((e) => e.pubkey));
    assert.equal(m.requests, requests.length);
    assert.equal(m.results, results.length);
    assert.equal(m.feedback, feedback.length);
    assert.equal(m.users, new Set(requests.map((e) => e.pubkey)).size);
    assert.equal(m.dvms, dvms.size);
    assert.equal(m.requestKinds, new Set(requests.map((e) => e.kind)).size);
    assert.equal(m.resultKinds, new Set(results.map((e) => e.kind)).size);
    assert.equal(m.encryptedRequests, requests.filter((e) => tag(e, 'encrypted')).length);
    assert.equal(m.encryptedShare, m.encryptedRequests / requests.length);
    assert.equal(m.profiles, 0);

    const resultsBy = new Map<string, number>();
    for (const e of results) resultsBy.set(e.pubkey, (resultsBy.get(e.pubkey) ?? 0) + 1);
    const top = [...resultsBy].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    assert.deepEqual([m.mostPopularDvm?.pubkey, m.mostPopularDvm?.results], top);
    assert.equal(m.mostPopularDvm?.npub.startsWith('npub1'), true);

    // Kind served by the most distinct DVMs: results by kind − 1000, feedback by its linked request's kind.
    const requestKind = new Map(requests.map((e) => [e.id, e.kind]));
    const dvmsByKind = new Map<number, Set<string>>();
    for (const e of [...results, ...feedback]) {
      const linked = linkOf(e);
      const kind = (linked ? requestKind.get(linked) : undefined) ?? (isResult(e) ? e.kind - 1000 : undefined);
      if (kind === undefined) continue;
      dvmsByKind.set(kind, new Set([...(dvmsByKind.get(kind) ?? []), e.pubkey]));
    }
    const competitive = [...dvmsByKind].sort((a, b) => b[1].size - a[1].size || a[0] - b[0])[0];
    assert.deepEqual([m.competitiveKind?.kind, m.competitiveKind?.count], [competitive[0], competitive[1].size]);
    assert.equal(m.mostPopularKind?.count, 1, 'every request kind occurs once in the fixture');

    // Response time: first result per (request, DVM) − request, for requests in the set.
    const firstResult = new Map<string, number>();
    for (const e of results) {
      const linked = linkOf(e);
      if (!linked || !requestKind.has(linked)) continue;
      const key = `${linked}|${e.pubkey}`;
      firstResult.set(key, Math.min(firstResult.get(key) ?? Infinity, e.created_at));
    }
    const created = new Map(requests.map((e) => [e.id, e.created_at]));
    const responses = [...firstResult].map(([key, at]) => Math.max(0, at - (created.get(key.split('|')[0]) ?? 0)));
    assert.ok(responses.length >= 5);
    assert.equal(m.medianResponseSec, nearestRank(responses, 0.5));
    assert.equal(m.p90ResponseSec, nearestRank(responses, 0.9));
  });

  it('windows count what falls inside them (hour-resolution for counts, exact for users)', () => {
    const now = newest + 1;
    const m = kit.core.metrics(now);
    for (const [window, seconds] of [['1h', 3600], ['24h', 86_400], ['7d', 7 * 86_400], ['30d', 30 * 86_400]] as const) {
      const since = now - seconds;
      const bucket = since - (since % 3600);
      const inBuckets = (e: NostrEvent) => e.created_at >= bucket && e.created_at <= now;
      const scope = m.windows[window];
      assert.equal(scope.requests, requests.filter(inBuckets).length, `${window} requests`);
      assert.equal(scope.results, results.filter(inBuckets).length, `${window} results`);
      assert.equal(scope.feedback, feedback.filter(inBuckets).length, `${window} feedback`);
      assert.equal(scope.users, new Set(requests.filter((e) => e.created_at >= since && e.created_at <= now).map((e) => e.pubkey)).size, `${window} users`);
    }
    assert.ok(m.windows['30d'].requests < m.requests, 'the fixture spans more than 30 days');
    assert.ok(m.windows['1h'].requests > 0);
  });

  it('per-kind and per-DVM summaries agree with the fixture', () => {
    const kinds = kit.core.kinds();
    const k5050 = kinds.find((k) => k.kind === 5050);
    assert.deepEqual([k5050?.name, k5050?.requests, k5050?.results, k5050?.users, k5050?.dvms], ['text generation', 1, 1, 1, 1]);
    assert.equal(kinds.reduce((sum, k) => sum + k.requests, 0), requests.length);
    const dvms = kit.core.dvms(500, 0, newest + 1);
    assert.equal(dvms.reduce((sum, d) => sum + d.results, 0), results.length);
    assert.equal(kit.core.dvms(2, 1, newest + 1).length, 2);
    assert.equal(kit.core.kind(5050, newest + 1)?.dvms.length, 1);
  });

  it('time series: daily buckets sum to the all-time counts', () => {
    const series = kit.core.series({ bucket: 'day' });
    assert.equal(series.reduce((sum, point) => sum + point.requests, 0), requests.length);
    assert.equal(series.reduce((sum, point) => sum + point.results, 0), results.length);
    assert.ok(series.every((point, i) => i === 0 || point.bucket > series[i - 1].bucket));
  });
});

describe('nostr retention', () => {
  const NOW = 1_760_000_000;
  const HOUR = 3600;
  const windows = { rawWindowHours: 48, historyDays: 90 };

  it('drops old raw events and jobs, keeps pinned DVMs in full and all-time counters intact', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const pinned = new Actor();
      const other = new Actor();
      const old = NOW - 100 * 86_400; // older than both windows
      const pinnedJob = customer.sign(5050, [['p', pinned.pubkey]], '', old);
      const otherJob = customer.sign(5050, [['i', 'x', 'text']], '', old + 1);
      await kit.core.ingest(undefined, [
        pinnedJob, pinned.sign(6050, [['e', pinnedJob.id]], 'a', old + 5),
        otherJob, other.sign(6050, [['e', otherJob.id]], 'b', old + 6),
      ]);
      kit.pins.add('dvm', pinned.pubkey, 'mine');
      const before = kit.core.metrics(NOW);
      kit.core.maintain(NOW, windows);
      assert.ok(kit.core.event(pinnedJob.id), 'pinned job request kept');
      assert.equal(kit.core.trace(pinnedJob.id)?.events.length, 2);
      assert.equal(kit.core.event(otherJob.id), null, 'unpinned raw event dropped');
      assert.equal(kit.core.trace(otherJob.id), null, 'unpinned job dropped after the history window');
      const afterMetrics = kit.core.metrics(NOW);
      for (const field of ['requests', 'results', 'users', 'dvms', 'requestKinds'] as const) assert.equal(afterMetrics[field], before[field], field);
      assert.equal(afterMetrics.requests, 2);
      assert.equal(kit.core.dvm(other.pubkey, NOW)?.summary.results, 1, 'per-DVM all-time totals survive');
    } finally {
      await kit.close();
    }
  });

  it('imports older than the raw window still count in all-time and history', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const tenDaysAgo = NOW - 10 * 86_400;
      const job = customer.sign(5300, [], '', tenDaysAgo);
      await kit.core.ingest(undefined, [job, dvm.sign(6300, [['e', job.id]], '[]', tenDaysAgo + 3)]);
      kit.core.maintain(NOW, windows);
      assert.equal(kit.core.event(job.id), null, 'raw copy gone (older than 48 h)');
      const trace = kit.core.trace(job.id);
      assert.equal(trace?.kind, 5300, 'the job is kept for the history window');
      assert.equal(trace?.dvms[0].responseSec, 3);
      const m = kit.core.metrics(NOW);
      assert.equal(m.requests, 1);
      assert.equal(m.windows['30d'].requests, 1);
      assert.equal(m.windows['7d'].requests, 0);
      assert.equal(kit.core.series({ bucket: 'day', since: tenDaysAgo - 86_400 }).reduce((sum, point) => sum + point.results, 0), 1);
      // The same events again: recognised as duplicates (the id is remembered for the history window).
      const again = await kit.core.ingest(undefined, [job]);
      assert.equal(again.duplicates, 1);
      assert.equal(kit.core.metrics(NOW).requests, 1);
    } finally {
      await kit.close();
    }
  });

  it('the size budget evicts the oldest unpinned raw events first, never pinned ones', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const pinned = new Actor();
      kit.pins.add('dvm', pinned.pubkey);
      const events: NostrEvent[] = [];
      const pinnedJob = customer.sign(5050, [['p', pinned.pubkey]], 'x'.repeat(2000), NOW - 10 * HOUR);
      events.push(pinnedJob);
      for (let i = 0; i < 300; i++) events.push(customer.sign(5050, [['i', String(i), 'text']], 'y'.repeat(2000), NOW - 9 * HOUR + i));
      await kit.core.ingest(undefined, events);
      const used = kit.store.usedBytes();
      const removed = kit.core.evictOldest(200_000, () => kit.store.usedBytes());
      assert.ok(removed > 0);
      assert.ok(kit.store.usedBytes() <= used - 200_000);
      assert.ok(kit.core.event(pinnedJob.id), 'pinned kept');
      assert.equal(kit.core.event(events[1].id), null, 'oldest unpinned evicted');
      assert.ok(kit.core.event(events[events.length - 1].id), 'newest kept');
      assert.equal(kit.core.metrics(NOW).requests, 301);
    } finally {
      await kit.close();
    }
  });
});
