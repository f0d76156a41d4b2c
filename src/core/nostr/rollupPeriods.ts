
/**
 * The bucket sizes the rollups (nostr_rollups, nostr_latency_rollups, nostr_user_rollups) are kept in, and how long
 * each is kept (DESIGN.md "Data kept"): 5-minute buckets for the raw window, so a chart of the last hours has the
 * resolution the raw events have; hourly for a month; 6-hour and daily buckets for the history window. Every period
 * is written for every event (Tally), so a series of any bucket size sums to the same totals.
 */
export type RollupPeriod = 'm' | 'h' | 'q' | 'd';

export const PERIOD_SECONDS: Readonly<Record<RollupPeriod, number>> = { m: 300, h: 3600, q: 21_600, d: 86_400 };

export const ROLLUP_PERIODS: readonly RollupPeriod[] = ['m', 'h', 'q', 'd'];

/** Hourly buckets are kept this long at most: every metrics window (30 d) is read from them. */
export const HOURLY_ROLLUP_DAYS = 31;
/** 5-minute buckets follow the raw window, but a raw window of weeks would make them outnumber everything else. */
export const FIVE_MINUTE_ROLLUP_MAX_DAYS = 7;

/** How long each tier is kept (settings `rawWindowHours`, `historyDays`). */
export interface RetentionWindows {
  readonly rawWindowHours: number;
  readonly historyDays: number;
}

/** How long each period's buckets are kept under these settings, in seconds. */
export function periodKeptSec(period: RollupPeriod, windows: RetentionWindows): number {
  const history = Math.round(windows.historyDays * 86_400);
  switch (period) {
    case 'm': return Math.min(Math.round(windows.rawWindowHours * 3600), FIVE_MINUTE_ROLLUP_MAX_DAYS * 86_400, history);
    case 'h': return Math.min(HOURLY_ROLLUP_DAYS * 86_400, history);
    case 'q':
    case 'd': return history;
  }
}

/** Start of the bucket of `period` that `at` falls in (UTC-aligned). */
export function bucketStart(at: number, period: RollupPeriod): number {
  const size = PERIOD_SECONDS[period];
  return at - (((at % size) + size) % size);
}

/** `kind` of the user rollups that count distinct users over every kind together. */
export const ANY_KIND = 0;
