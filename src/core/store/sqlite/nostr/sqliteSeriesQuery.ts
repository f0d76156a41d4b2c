import type { ActivitySeries, SeriesCoverage, SeriesPoint } from '../../../nostr/seriesTypes';
import { ANY_KIND, type RollupPeriod } from '../../../nostr/rollupPeriods';
import type { PreparedStatements } from './preparedStatements';
import {
  MAX_POINTS, seriesPointsOf, type ActivityOptions, type RollupSums, activityPlan, activitySeriesOf, coarserNeeded,
  coverageLimitOf, rememberedMedians, rememberMedians,
} from '../../../nostr/seriesRows';

/** Time series from the rollups, one point per bucket that has data, oldest first (DESIGN.md "as time series"). */
export function querySeries(sql: PreparedStatements, options: { bucket: 'hour' | 'day'; since?: number; until?: number; kind?: number; dvm?: string }): SeriesPoint[] {
  const where = ['period = ?', 'bucket >= ?', 'bucket <= ?'];
  const params: (string | number)[] = [options.bucket === 'hour' ? 'h' : 'd', options.since ?? 0, options.until ?? Number.MAX_SAFE_INTEGER];
  if (options.kind !== undefined) {
    where.push('kind = ?');
    params.push(options.kind);
  }
  if (options.dvm !== undefined) {
    where.push('dvm = unhex(?)');
    params.push(options.dvm);
  }
  const rows = sql.rows(`SELECT bucket, sum(requests) AS requests, sum(results) AS results, sum(feedback) AS feedback,
      sum(successes) AS successes, sum(errors) AS errors, sum(encrypted) AS encrypted,
      sum(sats_requested) AS sats_requested, sum(sats_earned) AS sats_earned, sum(sats_proven) AS sats_proven
    FROM nostr_rollups WHERE ${where.join(' AND ')} GROUP BY bucket ORDER BY bucket DESC LIMIT ?`, [...params, MAX_POINTS]);
  return seriesPointsOf(rows as number[][]);
}

/**
 * The activity series of the dashboard, DVM and kind pages (issue 12): every bucket of `bucket` size over `window`
 * up to `now`, from the rollups of that resolution (rollupPeriods.ts), so a day's buckets of any size add up to the
 * same totals. Users come from the user rollups (distinct per bucket, not a sum of smaller buckets); response-time
 * medians from the latency histograms, which are kept for all traffic together only. `covers` says how far back the
 * answer really reaches: the window, the retention of this resolution, or the first data stored.
 */
export function activitySeries(sql: PreparedStatements, options: ActivityOptions): ActivitySeries {
  const plan = activityPlan(options);
  const { period, kind, firstBucket, lastBucket } = plan;
  const dataFrom = oldestBucket(sql, period);
  const from = Math.min(lastBucket, Math.max(firstBucket, dataFrom ?? lastBucket));
  const limitedBy = coverageLimit(sql, period, dataFrom, firstBucket, options.now - plan.keptSec);

  const filters: string[] = [];
  const params: (string | number)[] = [period, from, lastBucket];
  if (kind !== undefined) {
    filters.push('AND kind = ?');
    params.push(kind);
  }
  if (options.dvm !== undefined) {
    filters.push('AND dvm = unhex(?)');
    params.push(options.dvm);
  }
  // Over all traffic the per-bucket totals (sqliteSeriesTotalsMigration.ts) answer with one row a bucket; a kind or a DVM
  // is a slice of the rollups' (period, bucket, kind, dvm) rows, a few per bucket.
  const sums = new Map((kind === undefined && options.dvm === undefined
    ? sql.rows(`SELECT bucket, requests, results, feedback, answered, successes, errors, encrypted, sats_requested, sats_earned, sats_proven, dvms
        FROM nostr_rollup_totals WHERE period = ? AND bucket >= ? AND bucket <= ?`, params)
    : sql.rows(`SELECT bucket, sum(requests), sum(results), sum(feedback), sum(answered), sum(successes), sum(errors), sum(encrypted),
      sum(sats_requested), sum(sats_earned), sum(sats_proven), count(DISTINCT CASE WHEN dvm <> x'' AND (results > 0 OR feedback > 0) THEN dvm END)
    FROM nostr_rollups WHERE period = ? AND bucket >= ? AND bucket <= ? ${filters.join(' ')} GROUP BY bucket`, params) as RollupSums[]).map((row) => [row[0] as number, row as RollupSums]));
  const users = options.dvm === undefined
    ? new Map(sql.rows('SELECT bucket, users FROM nostr_user_rollups WHERE period = ? AND kind = ? AND bucket >= ? AND bucket <= ?', [period, kind ?? ANY_KIND, from, lastBucket]) as [number, number][])
    : undefined;
  const medians = kind === undefined && options.dvm === undefined ? bucketMedians(sql, period, from, lastBucket) : undefined;
  return activitySeriesOf(options, plan, { from, dataFrom, limitedBy, sums, users, medians });
}

function oldestBucket(sql: PreparedStatements, period: RollupPeriod): number | null {
  return (sql.row('SELECT min(bucket) FROM nostr_rollups WHERE period = ?', [period])?.[0] as number | null) ?? null;
}

/**
 * What bounds a series that starts later than its window: retention, when a coarser resolution (kept longer) still
 * holds data from before this one's oldest bucket; else the first data collected. Daily buckets have nothing coarser:
 * data starting at their retention cutoff (give or take a maintenance run) was cut by it.
 */
function coverageLimit(sql: PreparedStatements, period: RollupPeriod, dataFrom: number | null, firstBucket: number, keptFrom: number): SeriesCoverage['limitedBy'] {
  const coarser = coarserNeeded(period, dataFrom, firstBucket);
  return coverageLimitOf(period, dataFrom, firstBucket, keptFrom, coarser ? oldestBucket(sql, coarser) : null);
}

/**
 * Median first-result time per bucket, from the response-time histograms of the pairs first answered in it. Walking
 * every slot of 30 days of hours costs more than the 50 ms a series has, and only the newest buckets change, so a
 * bucket's median is computed again only when its histogram's stamp (new on every change to it, kept per bucket in
 * nostr_rollup_totals) moved.
 */
function bucketMedians(sql: PreparedStatements, period: RollupPeriod, from: number, to: number): Map<number, number | null> {
  const { medians, stale } = rememberedMedians(sql, period, sql.rows('SELECT bucket, timed_stamp FROM nostr_rollup_totals WHERE period = ? AND bucket >= ? AND bucket <= ? AND timed > 0',
    [period, from, to]) as [number, number][]);
  if (stale.length === 0) return medians;
  // Rows in (bucket, slot) order and the rank walked here: SQL window functions over the same rows take longer.
  return rememberMedians(sql, period, stale, sql.rows(`SELECT bucket, slot, count FROM nostr_latency_rollups
      WHERE period = ? AND bucket >= ? AND bucket <= ? AND metric = 'r' AND count > 0 ORDER BY bucket, slot`, [period, stale[0].bucket, stale[stale.length - 1].bucket]) as [number, number, number][], medians);
}
