import type { ActivitySeries, SeriesPoint } from '../../nostr/seriesTypes';
import type { SeriesOptions } from '../../nostr/nostrStore';
import { ANY_KIND, type RollupPeriod } from '../../nostr/rollupPeriods';
import {
  activityPlan, activitySeriesOf, coarserNeeded, coverageLimitOf, MAX_POINTS, rememberedMedians, rememberMedians, seriesPointsOf,
  type ActivityOptions, type RollupSums,
} from '../../nostr/seriesRows';
import { pgId, pgRows, pgValue, type PgReader } from './pgReader';

/**
 * sqliteSeriesQuery.ts on PostgreSQL: the same rollup rows (per-bucket totals over all traffic, a slice of nostr_rollups
 * for a kind or a DVM), user rollups and first-result histograms, laid out into points by the shared code.
 */
export async function pgActivitySeries(db: PgReader, options: ActivityOptions): Promise<ActivitySeries> {
  const plan = activityPlan(options);
  const { period, kind, firstBucket, lastBucket } = plan;
  const dataFrom = await oldestBucket(db, period);
  const from = Math.min(lastBucket, Math.max(firstBucket, dataFrom ?? lastBucket));
  const coarser = coarserNeeded(period, dataFrom, firstBucket);
  const olderCoarser = coarser ? await oldestBucket(db, coarser) : null;
  const limitedBy = coverageLimitOf(period, dataFrom, firstBucket, options.now - plan.keptSec, olderCoarser);

  const filters: string[] = [];
  const values: unknown[] = [period, from, lastBucket];
  if (kind !== undefined) {
    values.push(kind);
    filters.push(`AND kind = $${values.length}`);
  }
  if (options.dvm !== undefined) {
    values.push(pgId(options.dvm));
    filters.push(`AND dvm = $${values.length}`);
  }
  const whole = kind === undefined && options.dvm === undefined;
  const [sums, users, medians] = await Promise.all([
    whole
      ? pgRows<RollupSums>(db, `SELECT bucket, requests, results, feedback, answered, successes, errors, encrypted, sats_requested, sats_earned, sats_proven, dvms
          FROM nostr_rollup_totals WHERE period = $1 AND bucket >= $2 AND bucket <= $3`, values)
      : pgRows<RollupSums>(db, `SELECT bucket, sum(requests), sum(results), sum(feedback), sum(answered), sum(successes), sum(errors), sum(encrypted),
          sum(sats_requested), sum(sats_earned), sum(sats_proven), count(DISTINCT CASE WHEN octet_length(dvm) > 0 AND (results > 0 OR feedback > 0) THEN dvm END)
        FROM nostr_rollups WHERE period = $1 AND bucket >= $2 AND bucket <= $3 ${filters.join(' ')} GROUP BY bucket`, values),
    options.dvm === undefined
      ? pgRows<[number, number]>(db, 'SELECT bucket, users FROM nostr_user_rollups WHERE period = $1 AND kind = $2 AND bucket >= $3 AND bucket <= $4',
        [period, kind ?? ANY_KIND, from, lastBucket]).then((rows) => new Map(rows))
      : undefined,
    whole ? bucketMedians(db, period, from, lastBucket) : undefined,
  ]);
  return activitySeriesOf(options, plan, { from, dataFrom, limitedBy, sums: new Map(sums.map((row) => [row[0], row])), users, medians });
}

/** querySeries: one point per bucket that has data, oldest first. */
export async function pgQuerySeries(db: PgReader, options: SeriesOptions): Promise<SeriesPoint[]> {
  const values: unknown[] = [options.bucket === 'hour' ? 'h' : 'd', options.since ?? 0, options.until ?? Number.MAX_SAFE_INTEGER];
  const where = ['period = $1', 'bucket >= $2', 'bucket <= $3'];
  if (options.kind !== undefined) {
    values.push(options.kind);
    where.push(`kind = $${values.length}`);
  }
  if (options.dvm !== undefined) {
    values.push(pgId(options.dvm));
    where.push(`dvm = $${values.length}`);
  }
  values.push(MAX_POINTS);
  const rows = await pgRows(db, `SELECT bucket, sum(requests), sum(results), sum(feedback), sum(successes), sum(errors), sum(encrypted),
      sum(sats_requested), sum(sats_earned), sum(sats_proven)
    FROM nostr_rollups WHERE ${where.join(' AND ')} GROUP BY bucket ORDER BY bucket DESC LIMIT $${values.length}`, values);
  return seriesPointsOf(rows as number[][]);
}

async function oldestBucket(db: PgReader, period: RollupPeriod): Promise<number | null> {
  return (await pgValue<number | null>(db, 'SELECT min(bucket) FROM nostr_rollups WHERE period = $1', [period])) ?? null;
}

/** Per-database memory of bucket medians (seriesRows' cache, keyed by the reader instead of the sql.js handle). */
async function bucketMedians(db: PgReader, period: RollupPeriod, from: number, to: number): Promise<Map<number, number | null>> {
  const stamps = await pgRows<[number, number]>(db, 'SELECT bucket, timed_stamp FROM nostr_rollup_totals WHERE period = $1 AND bucket >= $2 AND bucket <= $3 AND timed > 0 ORDER BY bucket',
    [period, from, to]);
  const { medians, stale } = rememberedMedians(db, period, stamps);
  if (stale.length === 0) return medians;
  const slots = await pgRows<[number, number, number]>(db, `SELECT bucket, slot, count FROM nostr_latency_rollups
      WHERE period = $1 AND bucket >= $2 AND bucket <= $3 AND metric = 'r' AND count > 0 ORDER BY bucket, slot`, [period, stale[0].bucket, stale[stale.length - 1].bucket]);
  return rememberMedians(db, period, stale, slots, medians);
}
