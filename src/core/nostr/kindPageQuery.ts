import type { KindDvmFigures, KindPage } from './pageTypes';
import type { SeriesBucket, SeriesWindow } from './seriesTypes';
import { announcedKindNames, parseKinds } from './dvmNames';
import { idHex } from './hexIds';
import { jobsOfKind } from './jobListQuery';
import { kindName, requestKind } from './kindRegistry';
import { livenessOfMany, type LivenessState, type LivenessThresholds } from './liveness';
import { emptyPairStats, PairStatsQuery, pairFigures, type PairLatency, type PairStats } from './pairStatsQuery';
import { PeopleCache } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';
import type { RetentionWindows } from './retention';
import { activitySeries } from './seriesQuery';

export const KIND_PAGE_RECENT_JOBS = 20;

export interface KindPageOptions {
  readonly now: number;
  readonly retention: RetentionWindows;
  /** Requests / results / users over time: 30 days in daily buckets unless asked otherwise. */
  readonly window?: SeriesWindow;
  readonly bucket?: SeriesBucket;
}

type KindRow = { requests: number; results: number; feedback: number; users: number; dvms: number };

/**
 * The kind page (issue 12): name (registry, then names DVMs announce), all-time figures, how competitive it is,
 * the DVMs serving it with their figures of this kind (pairStatsQuery.ts), then those that only announce it,
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
    const announcers = this.announcers(kind);
    if (!totals && announcers.length === 0) return null;
    const { now } = options;
    const name = kindName(kind, announcedKindNames(this.sql));
    const people = new PeopleCache(this.sql);
    const announced = new Set(announcers.map((entry) => entry.pubkey));
    const serving = this.stats.ofKind(kind).sort((a, b) => b.jobs - a.jobs || b.results - a.results || (a.dvm < b.dvm ? -1 : 1));
    const onlyAnnouncing = [...announced].filter((pubkey) => !serving.some((row) => row.dvm === pubkey)).sort();
    // One read each for every DVM's response times and signs of life: 40 DVMs were 120 statements.
    const latency = this.stats.latencyOfKind(kind);
    const liveness = livenessOfMany(this.sql, [...serving.map((row) => row.dvm), ...onlyAnnouncing], now, this.liveness);
    const dvms = [
      ...serving.map((row) => this.dvmFigures(row, latency.get(row.dvm), liveness.get(row.dvm)!, people, announced.has(row.dvm))),
      ...onlyAnnouncing.map((pubkey) => this.dvmFigures(emptyPairStats(pubkey, kind), undefined, liveness.get(pubkey)!, people, true)),
    ];
    return {
      kind,
      askedKind,
      name: name.name,
      nameSource: name.source,
      announcedNames: [...new Set(announcers.map((entry) => entry.name).filter((text): text is string => text !== null))],
      generatedAt: now,
      requests: totals?.requests ?? 0,
      results: totals?.results ?? 0,
      feedback: totals?.feedback ?? 0,
      users: totals?.users ?? 0,
      competition: this.competition(kind, totals?.dvms ?? 0),
      dvms,
      dvmsFrom: (this.sql.row('SELECT min(first_at) FROM nostr_job_dvms')?.[0] as number | null) ?? null,
      overTime: activitySeries(this.sql, { window: options.window ?? '30d', bucket: options.bucket ?? '1d', now, kind, retention: options.retention }),
      recentJobs: jobsOfKind(this.sql, kind, KIND_PAGE_RECENT_JOBS, people),
    };
  }

  private dvmFigures(row: PairStats, latency: PairLatency | undefined, liveness: LivenessState, people: PeopleCache, announced: boolean): KindDvmFigures {
    const name = people.name(row.dvm);
    return {
      pubkey: row.dvm,
      npub: people.npub(row.dvm),
      ...(name !== undefined ? { name } : {}),
      ...pairFigures(row, row.jobs > 0 ? latency : undefined),
      status: liveness.status,
      announced,
    };
  }

  /** Handlers (newest first; ties by name, so the page does not reorder between reads) that announce the kind. */
  private announcers(kind: number): { pubkey: string; name: string | null }[] {
    return (this.sql.rows('SELECT pubkey, name, kinds FROM nostr_profiles ORDER BY created_at DESC, name, pubkey') as [Uint8Array, string | null, string][])
      .filter(([, , kinds]) => parseKinds(kinds).includes(kind))
      .map(([pubkey, name]) => ({ pubkey: idHex(pubkey), name }));
  }

  /** Rank by distinct DVMs among the request kinds (ties share the better rank); the leader as in the metrics. */
  private competition(kind: number, dvms: number): KindPage['competition'] {
    const row = this.sql.row(`SELECT count(*), sum(dvms > ?), (SELECT kind FROM nostr_kinds WHERE kind >= 0 AND dvms > 0 ORDER BY dvms DESC, kind LIMIT 1)
      FROM nostr_kinds WHERE kind >= 0 AND dvms > 0`, [dvms]) as [number, number | null, number | null];
    return { dvms, rank: dvms > 0 ? (row[1] ?? 0) + 1 : null, of: row[0], mostCompetitiveKind: row[2] };
  }
}
