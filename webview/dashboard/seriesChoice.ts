import { SERIES_BUCKETS, type SeriesBucket, type SeriesWindow } from '../../src/protocol/nostrPagesProtocol';

/** Seconds of each choice, as the engine reads them (src/core/nostr/seriesRows.ts). */
const WINDOW_SEC: Record<SeriesWindow, number> = { '1h': 3_600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400, '90d': 90 * 86_400 };
const BUCKET_SEC: Record<SeriesBucket, number> = { '5m': 300, '1h': 3_600, '6h': 6 * 3_600, '1d': 86_400 };
/** The engine refuses a series of more points (MAX_SERIES_POINTS): 5 minutes over 30 days would be 8,640. */
export const MAX_POINTS = 2_200;

/** Whether the engine draws this bucket over this window: not too many points, and at least one bucket. */
export function fits(window: SeriesWindow, bucket: SeriesBucket): boolean {
  return BUCKET_SEC[bucket] <= WINDOW_SEC[window] && WINDOW_SEC[window] / BUCKET_SEC[bucket] <= MAX_POINTS;
}

/**
 * The bucket to use when the user picks a window: the one they had if it fits, else the nearest that does (larger
 * when there would be too many points, smaller when the bucket is longer than the window).
 */
export function fitBucket(window: SeriesWindow, bucket: SeriesBucket): SeriesBucket {
  if (fits(window, bucket)) return bucket;
  const start = SERIES_BUCKETS.indexOf(bucket);
  const order = [...SERIES_BUCKETS.slice(start + 1), ...SERIES_BUCKETS.slice(0, start).reverse()];
  return order.find((candidate) => fits(window, candidate)) ?? '1h';
}
