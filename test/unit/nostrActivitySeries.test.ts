import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backfillPageStats } from '../../src/core/store/sqlite/nostr/sqlitePageStatsMigration';
import type { ActivityPoint, SeriesBucket } from '../../src/protocol/nostrPagesProtocol';
import { Actor, fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic, type PageTraffic } from '../fixtures/nostr/pageTraffic';
import { NostrOracle, oracleSeries } from '../support/nostrOracle';

const RETENTION = { rawWindowHours: 48, historyDays: 90 };
const SIZE: Record<SeriesBucket, number> = { '5m': 300, '1h': 3600, '6h': 21_600, '1d': 86_400 };
/** What the oracle computes (encrypted requests and sats earned are checked by the metrics tests). */
const comparable = ({ encrypted, satsEarned, ...point }: ActivityPoint) => point;

describe('activity series over built traffic', () => {
  let traffic: PageTraffic;
  let oracle: NostrOracle;
  let kit: CoreKit;
  before(async () => {
    traffic = pageTraffic();
    oracle = new NostrOracle().add(traffic.events);
    kit = await openCore();
    await kit.core.ingest(undefined, traffic.events);
  });
  after(() => kit.close());

  for (const bucket of ['5m', '1h', '6h', '1d'] as const) {
    it(`${bucket} buckets over 7 days: every figure of every bucket equals the events'`, () => {
      const series = kit.core.pages.activity({ window: '7d', bucket, now: PAGE_NOW, retention: RETENTION });
      assert.equal(series.bucketSec, SIZE[bucket]);
      const firstEvent = Math.min(...traffic.events.filter((event) => event.kind >= 5000 && event.kind <= 7000).map((event) => event.created_at));
      assert.deepEqual(series.covers, {
        windowFrom: PAGE_NOW - 7 * 86_400, from: firstEvent - (firstEvent % SIZE[bucket]), to: PAGE_NOW, source: `rollups-${bucket}`,
        keptSec: { '5m': 48 * 3600, '1h': 31 * 86_400, '6h': 90 * 86_400, '1d': 90 * 86_400 }[bucket], limitedBy: 'collection-start', dataFrom: firstEvent - (firstEvent % SIZE[bucket]),
      });
      assert.deepEqual(series.points.map(comparable), oracleSeries(oracle, SIZE[bucket], series.covers.from, PAGE_NOW));
      const busy = series.points.filter((point) => point.jobs > 0);
      assert.ok(busy.some((point) => point.p50ResponseSec !== null && point.satsRequested > 0 && point.users !== null && point.users > 0 && point.dvms > 0));
      assert.ok(series.points.some((point) => point.errorRate !== null && point.errorRate > 0));
    });
  }

  it('buckets of every size add up to the same totals; users are distinct per bucket, not summed', () => {
    const totals = (bucket: SeriesBucket) => kit.core.pages.activity({ window: '7d', bucket, now: PAGE_NOW, retention: RETENTION }).points
      .reduce((sum, point) => ({ requests: sum.requests + point.requests, results: sum.results + point.results, jobs: sum.jobs + point.jobs, errors: sum.errors + point.errors }),
        { requests: 0, results: 0, jobs: 0, errors: 0 });
    for (const bucket of ['5m', '1h', '6h'] as const) assert.deepEqual(totals(bucket), totals('1d'));
    const daily = kit.core.pages.activity({ window: '7d', bucket: '1d', now: PAGE_NOW, retention: RETENTION }).points;
    const hourly = kit.core.pages.activity({ window: '7d', bucket: '1h', now: PAGE_NOW, retention: RETENTION }).points;
    const day = daily.find((point) => (point.users ?? 0) > 0)!;
    const hoursOfDay = hourly.filter((point) => point.t >= day.t && point.t < day.t + 86_400);
    assert.ok(hoursOfDay.reduce((sum, point) => sum + (point.users ?? 0), 0) > (day.users ?? 0), 'the same customers come back within a day');
  });

  it('a kind\'s series and a DVM\'s series keep only their own figures', () => {
    for (const kind of [5050, 6100]) {
      const series = kit.core.pages.activity({ window: '7d', bucket: '6h', now: PAGE_NOW, retention: RETENTION, kind });
      assert.equal(series.kind, kind >= 6000 ? kind - 1000 : kind);
      assert.deepEqual(series.points.map(comparable), oracleSeries(oracle, 21_600, series.covers.from, PAGE_NOW, { kind: series.kind }));
    }
    const series = kit.core.pages.activity({ window: '24h', bucket: '1h', now: PAGE_NOW, retention: RETENTION, dvm: traffic.dvmB.pubkey });
    assert.equal(series.covers.limitedBy, 'window');
    assert.deepEqual(series.points.map(comparable), oracleSeries(oracle, 3600, series.covers.from, PAGE_NOW, { dvm: traffic.dvmB.pubkey }));
  });

  it('says when retention, not the window, bounds a series', async () => {
    const own = await openCore();
    try {
      await own.core.ingest(undefined, traffic.events);
      const windows = { rawWindowHours: 24, historyDays: 90 };
      own.core.maintain(PAGE_NOW, windows);
      const series = own.core.pages.activity({ window: '7d', bucket: '5m', now: PAGE_NOW, retention: windows });
      assert.equal(series.covers.limitedBy, 'retention');
      assert.equal(series.covers.keptSec, 24 * 3600);
      const kept = traffic.events.filter((event) => event.kind >= 5000 && event.kind <= 7000).map((event) => event.created_at - (event.created_at % 300))
        .filter((bucket) => bucket >= PAGE_NOW - 24 * 3600);
      assert.equal(series.covers.from, Math.min(...kept), 'five-minute buckets of the last 24 hours only');
      assert.deepEqual(series.points.map(comparable), oracleSeries(oracle, 300, series.covers.from, PAGE_NOW));
      assert.equal(own.core.pages.activity({ window: '7d', bucket: '1h', now: PAGE_NOW, retention: windows }).covers.limitedBy, 'collection-start', 'hours reach back further');
    } finally {
      await own.close();
    }
  });

  it('refuses a series of more points than it answers', () => {
    assert.throws(() => kit.core.pages.activity({ window: '30d', bucket: '5m', now: PAGE_NOW, retention: RETENTION }), /5m buckets over 30d .* choose a larger bucket/);
    assert.throws(() => kit.core.pages.activity({ window: '2d' as never, bucket: '1h', now: PAGE_NOW, retention: RETENTION }), /unknown series window "2d"/);
  });
});

describe('activity series over the real fixture', () => {
  it('90 days of daily buckets: counts and users exact, medians within a histogram slot', async () => {
    const events = fixtureEvents();
    const oracle = new NostrOracle().add(events);
    const now = Math.max(...events.map((event) => event.created_at)) + 60;
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, events);
      const series = kit.core.pages.activity({ window: '90d', bucket: '1d', now, retention: RETENTION });
      assert.equal(series.covers.limitedBy, 'window', 'the fixture reaches back further than 90 days');
      const expected = oracleSeries(oracle, 86_400, series.covers.from, now);
      assert.ok(expected.reduce((sum, point) => sum + point.requests, 0) > 10);
      assert.deepEqual(series.points.map(({ p50ResponseSec, ...point }) => comparable({ ...point, p50ResponseSec: null })),
        expected.map((point) => ({ ...point, p50ResponseSec: null })));
      series.points.forEach((point, i) => {
        const exact = expected[i].p50ResponseSec;
        if (exact === null || exact < 64) assert.equal(point.p50ResponseSec, exact);
        else assert.ok(point.p50ResponseSec !== null && point.p50ResponseSec <= exact && point.p50ResponseSec >= exact * 0.955, `${point.p50ResponseSec} ~ ${exact}`);
      });
    } finally {
      await kit.close();
    }
  });
});

describe('page tables of a database stored before them', () => {
  it('the one-off count of stored rows equals what the triggers kept', async () => {
    const traffic = pageTraffic();
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, [...traffic.events, new Actor().sign(5050, [], 'late', PAGE_NOW - 5)]);
      const tables = ['nostr_dvm_kind_stats', 'nostr_dvm_kind_latency', 'nostr_user_rollups'];
      // Rows the triggers leave behind at zero (pairs moved to their request's kind, a response time that moved) are no figure.
      const snapshot = () => [kit.store.db.exec('SELECT * FROM nostr_dvm_kind_stats WHERE jobs > 0 ORDER BY 1, 2')[0]?.values,
        kit.store.db.exec('SELECT * FROM nostr_dvm_kind_latency WHERE count > 0 ORDER BY 1, 2, 3, 4')[0]?.values,
        kit.store.db.exec('SELECT * FROM nostr_user_rollups ORDER BY 1, 2, 3')[0]?.values,
        kit.store.db.exec("SELECT * FROM nostr_rollups WHERE period = 'q' ORDER BY 1, 2, 3, 4")[0]?.values,
        kit.store.db.exec("SELECT * FROM nostr_latency_rollups WHERE period = 'q' ORDER BY 1, 2, 3, 4")[0]?.values];
      const kept = snapshot();
      for (const table of tables) kit.store.db.run(`DELETE FROM ${table}`);
      kit.store.db.run("DELETE FROM nostr_rollups WHERE period = 'q'");
      kit.store.db.run("DELETE FROM nostr_latency_rollups WHERE period = 'q'");
      backfillPageStats(kit.store.db);
      assert.deepEqual(snapshot(), kept);
      assert.ok(kept.every((rows) => rows && rows.length > 0));
    } finally {
      await kit.close();
    }
  });
});
