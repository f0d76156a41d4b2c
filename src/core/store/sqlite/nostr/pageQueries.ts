import type { ActivitySeries } from '../../../nostr/seriesTypes';
import type { DvmPage, KindPage, RecentKindJobs, UserPage } from '../../../nostr/pageTypes';
import { type DvmPageOptions } from '../../../nostr/dvmPageParts';
import { DvmPageQuery } from './sqliteDvmPageQuery';
import { type KindPageOptions } from '../../../nostr/kindPageParts';
import { KindPageQuery } from './sqliteKindPageQuery';
import type { LivenessThresholds } from '../../../nostr/liveness';
import type { PreparedStatements } from './preparedStatements';
import { recentByKind } from './sqliteRecentByKindQuery';
import { type ActivityOptions } from '../../../nostr/seriesRows';
import { activitySeries } from './sqliteSeriesQuery';
import { UserPageQuery } from './sqliteUserPageQuery';

/**
 * The DVM, kind and user pages, the activity series and the newest jobs per kind (issue 12), over one store.
 * Pubkeys are lower-case hex here; the engine module turns what users type (npub…) into that.
 */
export class PageQueries {
  private readonly dvmPage: DvmPageQuery;
  private readonly kindPage: KindPageQuery;
  private readonly userPage: UserPageQuery;

  constructor(private readonly sql: PreparedStatements, liveness: LivenessThresholds) {
    this.dvmPage = new DvmPageQuery(sql, liveness);
    this.kindPage = new KindPageQuery(sql, liveness);
    this.userPage = new UserPageQuery(sql);
  }

  dvm(pubkey: string, options: DvmPageOptions): DvmPage | null {
    return this.dvmPage.page(pubkey, options);
  }

  kind(kind: number, options: KindPageOptions): KindPage | null {
    return this.kindPage.page(kind, options);
  }

  user(pubkey: string, limit?: number): UserPage | null {
    return this.userPage.page(pubkey, limit);
  }

  activity(options: ActivityOptions): ActivitySeries {
    return activitySeries(this.sql, options);
  }

  recentByKind(perKind?: number): RecentKindJobs[] {
    return recentByKind(this.sql, perKind);
  }
}
