import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERIES_SUM_COLUMNS } from '../../src/core/store/sharedSql/nostrSql';
import type { ActivityPoint } from '../../src/protocol/nostrPagesProtocol';
import { Actor, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic } from '../fixtures/nostr/pageTraffic';
import { NostrOracle, oracleSeries } from '../support/nostrOracle';

/**
 * The per-bucket totals behind the all-traffic series (sqliteSeriesTotalsMigration.ts) must always equal a GROUP BY over the
 * rollups they summarise, whoever writes or deletes those, and a bucket's remembered median must follow new answers.
 */

const RETENTION = { rawWindowHours: 48, historyDays: 90 };
const comparable = ({ encrypted, satsEarned, ...point }: ActivityPoint) => point;

function groupByRollups(kit: CoreKit): unknown[][] {
  return kit.sql.rows(`SELECT r.period, r.bucket, ${SERIES_SUM_COLUMNS.map((column) => `sum(r.${column})`).join(', ')},
      count(DISTINCT CASE WHEN r.dvm <> x'' AND (r.results > 0 OR r.feedback > 0) THEN r.dvm END),
      coalesce((SELECT sum(count) FROM nostr_latency_rollups l WHERE l.period = r.period AND l.bucket = r.bucket AND l.metric = 'r'), 0)
    FROM nostr_rollups r GROUP BY r.period, r.bucket ORDER BY r.period, r.bucket`);
}

function totals(kit: CoreKit): unknown[][] {
  return kit.sql.rows(`SELECT period, bucket, ${SERIES_SUM_COLUMNS.join(', ')}, dvms, timed FROM nostr_rollup_totals ORDER BY period, bucket`);
}

describe('series totals per bucket', () => {
  it('equal a GROUP BY over the rollups after ingest and after retention cut the oldest buckets', async () => {
    const kit = await openCore();
    try {
      const traffic = pageTraffic();
      await kit.core.ingest(undefined, traffic.events);
      const before = groupByRollups(kit);
      assert.ok(before.length > 50, 'many buckets');
      assert.deepEqual(totals(kit), before);
      // Keep 2 days of history: retention deletes the older rollup rows and their histogram rows.
      kit.core.maintain(PAGE_NOW, { rawWindowHours: 24, historyDays: 2 });
      const after = groupByRollups(kit);
      assert.ok(after.length < before.length, 'retention removed buckets');
      assert.deepEqual(totals(kit), after);
    } finally {
      await kit.close();
    }
  });

  it('a bucket\'s median is read again when new answers land in it (its remembered value is not served stale)', async () => {
    const kit = await openCore();
    try {
      const traffic = pageTraffic();
      const oracle = new NostrOracle().add(traffic.events);
      await kit.core.ingest(undefined, traffic.events);
      const read = () => kit.core.pages.activity({ window: '24h', bucket: '1h', now: PAGE_NOW, retention: RETENTION });
      const first = read();
      assert.deepEqual(first.points.map(comparable), oracleSeries(oracle, 3600, first.covers.from, PAGE_NOW));

      // Slow answers in the newest busy hour move its median (every new response takes 60 s, where the histogram's slots are still exact).
      const busy = [...first.points].reverse().find((point) => point.p50ResponseSec !== null)!;
      const customer = new Actor();
      const dvm = new Actor();
      const more = Array.from({ length: 40 }, (_, i) => {
        const request = customer.sign(5050, [['i', `slow ${i}`, 'text']], '', busy.t + 10 + i);
        return [request, dvm.sign(6050, [['e', request.id]], 'slow', busy.t + 10 + i + 60)];
      }).flat().filter((event) => event.created_at <= PAGE_NOW);
      oracle.add(more);
      await kit.core.ingest(undefined, more);
      const second = read();
      assert.deepEqual(second.points.map(comparable), oracleSeries(oracle, 3600, second.covers.from, PAGE_NOW));
      assert.notEqual(second.points.find((point) => point.t === busy.t)?.p50ResponseSec, busy.p50ResponseSec, 'the median moved');
    } finally {
      await kit.close();
    }
  });

  it('a bucket\'s median is read again when its histogram changed but kept its count and weighted slot sum', async () => {
    const kit = await openCore();
    try {
      const hour = PAGE_NOW - (PAGE_NOW % 3600) - 3600;
      const customer = new Actor();
      const dvm = new Actor();
      // Three answers taking 10, 20 and 30 s (slots below 64 s are whole seconds): median 20.
      await kit.core.ingest(undefined, [10, 20, 30].flatMap((seconds, i) => {
        const request = customer.sign(5050, [['i', `job ${i}`, 'text']], '', hour + i);
        return [request, dvm.sign(6050, [['e', request.id]], 'done', hour + i + seconds)];
      }));
      const read = () => kit.core.pages.activity({ window: '24h', bucket: '1h', now: PAGE_NOW, retention: RETENTION }).points.find((point) => point.t === hour)?.p50ResponseSec;
      assert.equal(read(), 20);
      // A writer moves answers between slots (as the tally does when an earlier result turns up): 10 → 5 and 20 → 25.
      // Count 3 and slot sum 60 stay; the histogram is {5, 25, 30}, whose median is 25.
      const histogram = () => kit.sql.rows(`SELECT slot, count FROM nostr_latency_rollups WHERE period = 'h' AND bucket = ? AND metric = 'r' AND count > 0 ORDER BY slot`, [hour]);
      const sums = () => kit.sql.row(`SELECT timed, timed_slots FROM nostr_rollup_totals WHERE period = 'h' AND bucket = ?`, [hour]);
      assert.deepEqual(histogram(), [[10, 1], [20, 1], [30, 1]]);
      const before = sums();
      kit.sql.transaction(() => {
        for (const [from, to] of [[10, 5], [20, 25]]) {
          kit.sql.run(`UPDATE nostr_latency_rollups SET count = count - 1 WHERE period = 'h' AND bucket = ? AND metric = 'r' AND slot = ?`, [hour, from]);
          kit.sql.run(`INSERT INTO nostr_latency_rollups (period, bucket, metric, slot, count) VALUES ('h', ?, 'r', ?, 1)
            ON CONFLICT (period, bucket, metric, slot) DO UPDATE SET count = count + 1`, [hour, to]);
        }
      });
      assert.deepEqual(histogram(), [[5, 1], [25, 1], [30, 1]]);
      assert.deepEqual(sums(), before, 'the same count and weighted slot sum');
      assert.equal(read(), 25);
    } finally {
      await kit.close();
    }
  });
});
