const HOUR = 3600;
const DAY = 86_400;

/** Buckets `from`..`to` (inclusive) of one rollup period. */
export interface BucketRange {
  readonly period: 'h' | 'd';
  readonly from: number;
  readonly to: number;
}

/**
 * The rollup buckets that cover a window: every hourly bucket from the hour `since` falls in up to `until`
 * (DESIGN.md windows; nostr.metrics counts at hour resolution). Whole UTC days inside that span are read from the
 * daily rollups instead of 24 hourly ones each: the same sums (Tally writes both), 24 times fewer rows for a
 * 30-day window. Ranges never overlap.
 */
export function bucketRanges(since: number, until: number): BucketRange[] {
  const firstHour = since - (since % HOUR);
  if (until < firstHour) return [];
  const firstDay = firstHour % DAY === 0 ? firstHour : firstHour - (firstHour % DAY) + DAY;
  const lastDayEnd = until - (until % DAY); // days strictly before the day `until` is in
  if (lastDayEnd - firstDay < DAY) return [{ period: 'h', from: firstHour, to: until }];
  const ranges: BucketRange[] = [];
  if (firstHour < firstDay) ranges.push({ period: 'h', from: firstHour, to: firstDay - 1 });
  ranges.push({ period: 'd', from: firstDay, to: lastDayEnd - 1 });
  ranges.push({ period: 'h', from: lastDayEnd, to: until });
  return ranges;
}
