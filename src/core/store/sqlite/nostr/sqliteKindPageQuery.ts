import type { KindPage } from '../../../nostr/pageTypes';
import { announcedKindNames } from './sqliteDvmNames';
import { idHex } from '../../../nostr/hexIds';
import { jobsOfKind } from './sqliteJobListQuery';
import { requestKind } from '../../../nostr/kindRegistry';
import type { LivenessThresholds } from '../../../nostr/liveness';
import { livenessOfMany } from './sqliteLiveness';
import { PairStatsQuery } from './sqlitePairStatsQuery';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { activitySeries } from './sqliteSeriesQuery';
import {
  KIND_PAGE_RECENT_JOBS, type KindPageOptions, type KindRow, kindDvmsPlan, kindPageOf,
} from '../../../nostr/kindPageParts';

/**
 * The kind page (issue 12): name (registry, then names DVMs announce), all-time figures, how competitive it is,
 * the DVMs serving it with their figures of this kind (sqlitePairStatsQuery.ts), then those that only announce it,
 * requests / results / users over time, and its newest jobs. A result kind is shown as its request kind.
 */
export class KindPageQuery {
  private readonly stats: PairStatsQuery;

  constructor(private readonly sql: PreparedStatements, private readonly liveness: LivenessThresholds) {
    this.stats = new PairStatsQuery(sql);
  }

  page(askedKind: number, options: KindPageOptions): KindPage | null {
    const kind = requestKind(askedKind);
    const totals = this.sql.get<KindRow>('SELECT requests, results, feedback, users, dvms FROM nostr_kinds WHERE kind = ?', [kind]);
    const handlers = (this.sql.rows('SELECT pubkey, name, kinds FROM nostr_profiles ORDER BY created_at DESC, name, pubkey') as [Uint8Array, string | null, string][])
      .map(([pubkey, name, kinds]) => ({ pubkey: idHex(pubkey), name, kinds }));
    const plan = kindDvmsPlan(kind, handlers, this.stats.ofKind(kind));
    if (!totals && plan.announcers.length === 0) return null;
    const { now } = options;
    const people = new PeopleCache(this.sql);
    const dvms = totals?.dvms ?? 0;
    return kindPageOf({
      askedKind,
      kind,
      now,
      totals,
      names: announcedKindNames(this.sql),
      plan,
      // One read each for every DVM's response times and signs of life: 40 DVMs were 120 statements.
      latency: this.stats.latencyOfKind(kind),
      liveness: livenessOfMany(this.sql, [...plan.serving.map((row) => row.dvm), ...plan.onlyAnnouncing], now, this.liveness),
      people,
      competitionRow: this.sql.row(`SELECT count(*), sum(dvms > ?), (SELECT kind FROM nostr_kinds WHERE kind >= 0 AND dvms > 0 ORDER BY dvms DESC, kind LIMIT 1)
        FROM nostr_kinds WHERE kind >= 0 AND dvms > 0`, [dvms]) as [number, number | null, number | null],
      dvmsFrom: (this.sql.row('SELECT min(first_at) FROM nostr_job_dvms')?.[0] as number | null) ?? null,
      overTime: activitySeries(this.sql, { window: options.window ?? '30d', bucket: options.bucket ?? '1d', now, kind, retention: options.retention }),
      recentJobs: jobsOfKind(this.sql, kind, KIND_PAGE_RECENT_JOBS, people),
    });
  }
}
