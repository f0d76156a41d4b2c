/**
 * Time series from the rollups (issue 12; DESIGN.md "Nostr: definitions"): the hourly / daily points of
 * `nostr.series` and the activity series of the pages. Each series says which rollup it comes from and how far
 * back that reaches (`SeriesCoverage`). Sats are whole sats, times unix seconds.
 */

export interface SeriesPoint {
  readonly bucket: number;
  readonly requests: number;
  readonly results: number;
  readonly feedback: number;
  readonly successes: number;
  readonly errors: number;
  readonly encrypted: number;
  readonly satsRequested: number;
  readonly satsEarned: number;
  readonly satsProven: number;
}

export type SeriesWindow = '1h' | '24h' | '7d' | '30d' | '90d';

export type SeriesBucket = '5m' | '1h' | '6h' | '1d';

export const SERIES_WINDOWS: readonly SeriesWindow[] = ['1h', '24h', '7d', '30d', '90d'];

export const SERIES_BUCKETS: readonly SeriesBucket[] = ['5m', '1h', '6h', '1d'];

/** One bucket, starting at `t`. Filtered series (a kind, a DVM) leave out what is not kept per kind or DVM (null). */
export interface ActivityPoint {
  readonly t: number;
  readonly requests: number;
  readonly results: number;
  readonly feedback: number;
  /** Distinct request authors in the bucket; null for a DVM's series. */
  readonly users: number | null;
  /** DVMs that sent a result or feedback in the bucket. */
  readonly dvms: number;
  /** (job, DVM) pairs first answered in the bucket: a DVM's jobs. */
  readonly jobs: number;
  readonly successes: number;
  readonly errors: number;
  readonly encrypted: number;
  /** Counted when the payment-required feedback is sent; a re-quote adds its difference then. */
  readonly satsRequested: number;
  readonly satsEarned: number;
  /** Zap receipts, when the zap was sent. */
  readonly satsProven: number;
  /** errors / jobs of the bucket (both counted when they happened, so a job answered late in one bucket and failing early in the next can push one bucket above 1); null without jobs. */
  readonly errorRate: number | null;
  /** Median first-result time of the pairs first answered in the bucket (histogram estimate: exact below 64 s, within 4.4 % above); null for filtered series. */
  readonly p50ResponseSec: number | null;
}

export interface SeriesCoverage {
  /** The window asked for: [windowFrom, to]. */
  readonly windowFrom: number;
  /** First bucket returned (start) and the end of the series (the `now` of the request). */
  readonly from: number;
  readonly to: number;
  /** Where the points come from, and how long that resolution is kept under the current settings. */
  readonly source: 'rollups-5m' | 'rollups-1h' | 'rollups-6h' | 'rollups-1d';
  readonly keptSec: number;
  /**
   * What bounds `from`: the window itself; the retention of this resolution (older buckets were rolled away:
   * a coarser bucket reaches further); or the first data collected (nothing older was ever stored).
   */
  readonly limitedBy: 'window' | 'retention' | 'collection-start';
  /** Oldest bucket of this resolution that holds data, null when none does. */
  readonly dataFrom: number | null;
}

export interface ActivitySeries {
  readonly bucketSec: number;
  readonly window: SeriesWindow;
  readonly bucket: SeriesBucket;
  readonly kind?: number;
  readonly dvm?: string;
  /** Every bucket from `covers.from` to `covers.to`, oldest first, empty ones with zeros. */
  readonly points: readonly ActivityPoint[];
  readonly covers: SeriesCoverage;
}
