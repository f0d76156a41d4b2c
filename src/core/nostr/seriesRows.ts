import type {
  ActivityPoint, ActivitySeries, SeriesBucket, SeriesCoverage, SeriesPoint, SeriesWindow,
} from './seriesTypes';
import { requestKind } from './kindRegistry';
import { nearestRank, slotFloor } from './latencyHistogram';
import { msatsToSats } from './payments';
import type { RetentionWindows } from './retention';
import { bucketStart, PERIOD_SECONDS, periodKeptSec, type RollupPeriod } from './rollupPeriods';

export const MAX_POINTS = 24 * 90;

/** querySeries' rows (bucket, requests, results, feedback, successes, errors, encrypted, the three sats in msats), newest first. */
export function seriesPointsOf(rowsNewestFirst: readonly (readonly number[])[]): SeriesPoint[] {
  return [...rowsNewestFirst].reverse().map(([bucket, requests, results, feedback, successes, errors, encrypted, satsRequested, satsEarned, satsProven]) => ({
    bucket,
    requests,
    results,
    feedback,
    successes,
    errors,
    encrypted,
    satsRequested: msatsToSats(satsRequested),
    satsEarned: msatsToSats(satsEarned),
    satsProven: msatsToSats(satsProven),
  }));
}

const SERIES_WINDOW_SEC: Readonly<Record<SeriesWindow, number>> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400, '90d': 90 * 86_400 };
const BUCKET_PERIOD: Readonly<Record<SeriesBucket, RollupPeriod>> = { '5m': 'm', '1h': 'h', '6h': 'q', '1d': 'd' };
const PERIOD_SOURCE: Readonly<Record<RollupPeriod, SeriesCoverage['source']>> = { m: 'rollups-5m', h: 'rollups-1h', q: 'rollups-6h', d: 'rollups-1d' };
/** 5-minute buckets over 7 days, or hours over 90 days; a longer series is asked with a larger bucket. */
export const MAX_SERIES_POINTS = 2_200;
/** Retention runs every minute while the engine runs; data this close to its cutoff was cut by it. */
const RETENTION_SLACK_SEC = 3600;
/** The next resolution up, kept at least as long. */
const COARSER: Readonly<Record<RollupPeriod, RollupPeriod | undefined>> = { m: 'h', h: 'd', q: 'd', d: undefined };

export interface ActivityOptions {
  readonly window: SeriesWindow;
  readonly bucket: SeriesBucket;
  readonly now: number;
  /** Only this request kind (its DVMs' answers included); a result kind is its request kind. */
  readonly kind?: number;
  readonly dvm?: string;
  /** The retention settings, to say how far back each resolution reaches. */
  readonly retention: RetentionWindows;
}

export type RollupSums = [bucket: number, requests: number, results: number, feedback: number, jobs: number, successes: number, errors: number,
  encrypted: number, satsRequested: number, satsEarned: number, satsProven: number, dvms: number];

/** What an activity series asks for, worked out from its options alone. */
export interface ActivityPlan {
  readonly period: RollupPeriod;
  readonly size: number;
  /** The request kind (a result kind asked is its request kind). */
  readonly kind: number | undefined;
  readonly windowFrom: number;
  readonly firstBucket: number;
  readonly lastBucket: number;
  readonly keptSec: number;
}

export function activityPlan(options: ActivityOptions): ActivityPlan {
  const windowSec = SERIES_WINDOW_SEC[options.window];
  const period = BUCKET_PERIOD[options.bucket];
  if (windowSec === undefined) throw new Error(`unknown series window ${JSON.stringify(options.window)} (one of ${Object.keys(SERIES_WINDOW_SEC).join(', ')})`);
  if (period === undefined) throw new Error(`unknown series bucket ${JSON.stringify(options.bucket)} (one of ${Object.keys(BUCKET_PERIOD).join(', ')})`);
  const size = PERIOD_SECONDS[period];
  if (windowSec / size > MAX_SERIES_POINTS) throw new Error(`${options.bucket} buckets over ${options.window} are more than ${MAX_SERIES_POINTS} points: choose a larger bucket`);
  const windowFrom = options.now - windowSec;
  return {
    period,
    size,
    kind: options.kind === undefined ? undefined : requestKind(options.kind),
    windowFrom,
    firstBucket: bucketStart(windowFrom, period),
    lastBucket: bucketStart(options.now, period),
    keptSec: periodKeptSec(period, options.retention),
  };
}

/** What an adapter read for a series: where it starts, what bounds it, and the per-bucket rows. */
export interface ActivityReads {
  readonly from: number;
  readonly dataFrom: number | null;
  readonly limitedBy: SeriesCoverage['limitedBy'];
  readonly sums: ReadonlyMap<number, RollupSums>;
  /** Distinct users per bucket; undefined for a DVM's series (the user rollups are not per DVM). */
  readonly users: ReadonlyMap<number, number> | undefined;
  /** Median first-result time per bucket; over all traffic only. */
  readonly medians: ReadonlyMap<number, number | null> | undefined;
}

/** Every bucket from `from` to the plan's last, empty ones as zeros, with the coverage said. */
export function activitySeriesOf(options: ActivityOptions, plan: ActivityPlan, reads: ActivityReads): ActivitySeries {
  const { kind, period, size, lastBucket } = plan;
  const { sums, users, medians } = reads;
  const points: ActivityPoint[] = [];
  for (let t = reads.from; t <= lastBucket; t += size) {
    const row = sums.get(t);
    const jobs = row?.[4] ?? 0;
    const errors = row?.[6] ?? 0;
    points.push({
      t,
      requests: row?.[1] ?? 0,
      results: row?.[2] ?? 0,
      feedback: row?.[3] ?? 0,
      users: users ? users.get(t) ?? 0 : null,
      dvms: row?.[11] ?? 0,
      jobs,
      successes: row?.[5] ?? 0,
      errors,
      encrypted: row?.[7] ?? 0,
      satsRequested: msatsToSats(row?.[8] ?? 0),
      satsEarned: msatsToSats(row?.[9] ?? 0),
      satsProven: msatsToSats(row?.[10] ?? 0),
      errorRate: jobs > 0 ? errors / jobs : null,
      p50ResponseSec: medians?.get(t) ?? null,
    });
  }
  return {
    bucketSec: size,
    window: options.window,
    bucket: options.bucket,
    ...(kind !== undefined ? { kind } : {}),
    ...(options.dvm !== undefined ? { dvm: options.dvm } : {}),
    points,
    covers: { windowFrom: plan.windowFrom, from: reads.from, to: options.now, source: PERIOD_SOURCE[period], keptSec: plan.keptSec, limitedBy: reads.limitedBy, dataFrom: reads.dataFrom },
  };
}

/** The coarser resolution whose oldest bucket coverageLimitOf needs, if it needs one. */
export function coarserNeeded(period: RollupPeriod, dataFrom: number | null, firstBucket: number): RollupPeriod | undefined {
  return dataFrom !== null && dataFrom > firstBucket ? COARSER[period] : undefined;
}

/** coverageLimit's rule, given the oldest bucket of the coarser resolution (null: none, or not needed). */
export function coverageLimitOf(period: RollupPeriod, dataFrom: number | null, firstBucket: number, keptFrom: number, olderCoarser: number | null): SeriesCoverage['limitedBy'] {
  if (dataFrom !== null && dataFrom <= firstBucket) return 'window';
  if (dataFrom === null) return 'collection-start';
  const coarser = COARSER[period];
  if (coarser) return olderCoarser !== null && olderCoarser < bucketStart(dataFrom, coarser) ? 'retention' : 'collection-start';
  return dataFrom <= keptFrom + PERIOD_SECONDS[period] + RETENTION_SLACK_SEC ? 'retention' : 'collection-start';
}

/** Buckets' medians remembered per store, each with the stamp its histogram had (latencyStampMigration.ts). */
const medianCache = new WeakMap<object, Map<string, { stamp: number; p50: number | null }>>();
/** Buckets remembered per store at most (90 days of hours, 5-minute, 6-hour and daily buckets fit). */
const MEDIAN_CACHE_MAX = 10_000;

/**
 * The medians remembered for `store` (a database handle, or whatever object stands for one database) whose stamp
 * still matches, and the buckets to compute again (`stamps`: [bucket, timed_stamp] in bucket order).
 */
export function rememberedMedians(store: object, period: RollupPeriod, stamps: Iterable<readonly [number, number]>): { medians: Map<number, number | null>; stale: { bucket: number; stamp: number }[] } {
  let cache = medianCache.get(store);
  if (!cache) medianCache.set(store, (cache = new Map()));
  const medians = new Map<number, number | null>();
  const stale: { bucket: number; stamp: number }[] = [];
  for (const [bucket, stamp] of stamps) {
    const known = cache.get(`${period}${bucket}`);
    if (known && known.stamp === stamp) medians.set(bucket, known.p50);
    else stale.push({ bucket, stamp });
  }
  return { medians, stale };
}

/** Computes the stale buckets' medians from their histogram rows ([bucket, slot, count] in that order), remembers them and adds them to `medians`. */
export function rememberMedians(store: object, period: RollupPeriod, stale: readonly { bucket: number; stamp: number }[], rows: Iterable<readonly [number, number, number]>,
  medians: Map<number, number | null>): Map<number, number | null> {
  let cache = medianCache.get(store);
  if (!cache) medianCache.set(store, (cache = new Map()));
  if (cache.size + stale.length > MEDIAN_CACHE_MAX) cache.clear();
  const slots = new Map<number, [number, number][]>();
  for (const [bucket, slot, count] of rows) {
    let list = slots.get(bucket);
    if (!list) slots.set(bucket, (list = []));
    list.push([slot, count]);
  }
  for (const { bucket, stamp } of stale) {
    const list = slots.get(bucket);
    const p50 = list ? nearestRank(list, [0.5], slotFloor)[0] : null;
    cache.set(`${period}${bucket}`, { stamp, p50 });
    medians.set(bucket, p50);
  }
  return medians;
}
