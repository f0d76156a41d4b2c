import type { NostrMetrics } from '../../nostr/nostrTypes';
import type { ActivitySeries, SeriesPoint } from '../../nostr/seriesTypes';
import type { NostrMetricsRepo, SeriesOptions } from '../../nostr/nostrStore';
import type { ActivityOptions } from '../../nostr/seriesRows';
import { pgActivitySeries, pgQuerySeries } from './pgActivitySeries';
import { pgMetrics } from './pgMetricsQueries';
import type { PgReader } from './pgReader';

/** NostrMetricsRepo over a PostgreSQL store (the dashboard's figures and series). */
export class PgMetricsRepo implements NostrMetricsRepo {
  constructor(private readonly db: PgReader) {}

  metrics(now: number): Promise<NostrMetrics> {
    return pgMetrics(this.db, now);
  }

  series(options: SeriesOptions): Promise<SeriesPoint[]> {
    return pgQuerySeries(this.db, options);
  }

  activity(options: ActivityOptions): Promise<ActivitySeries> {
    return pgActivitySeries(this.db, options);
  }
}
