import type { KindSummary } from '../../nostr/nostrTypes';
import type { KindPage } from '../../nostr/pageTypes';
import { kindSummariesOf, type KindTotalsRow } from '../../nostr/kindSummaryRows';
import { kindDvmsPlan, kindPageOf, KIND_PAGE_RECENT_JOBS, type KindPageOptions, type KindRow } from '../../nostr/kindPageParts';
import { requestKind } from '../../nostr/kindRegistry';
import type { LivenessThresholds } from '../../nostr/liveness';
import { pgActivitySeries } from './pgActivitySeries';
import { pgAnnouncedKindNames } from './pgDvmNames';
import { pgJobsOfKind } from './pgJobLists';
import { pgLivenessOfMany } from './pgLiveness';
import { pgLatencyOfKind, pgPairStatsOfKind } from './pgPairStats';
import { pgPeople } from './pgPeople';
import { pgColumn, pgHex, pgRow, pgRows, pgValue, type PgReader } from './pgReader';

/** sqliteKindQuery.ts on PostgreSQL: every kind requested, answered or announced, with its all-time figures. */
export async function pgKinds(db: PgReader): Promise<KindSummary[]> {
  const [names, totals, announced] = await Promise.all([
    pgAnnouncedKindNames(db),
    pgRows<[number, number, number, number, number]>(db, 'SELECT kind, requests, results, dvms, users FROM nostr_kinds ORDER BY kind'),
    pgColumn<string>(db, "SELECT kinds FROM nostr_profiles WHERE kinds <> '[]' ORDER BY pubkey, d"),
  ]);
  const rows: KindTotalsRow[] = totals.map(([kind, requests, results, dvms, users]) => ({ kind, requests, results, dvms, users }));
  return kindSummariesOf(rows, announced, names);
}

/** sqliteKindPageQuery.ts on PostgreSQL. `keepRankings`: the store may be written here (pgPairStats.ts pgLatencyOfKind). */
export async function pgKindPage(db: PgReader, askedKind: number, options: KindPageOptions, thresholds: LivenessThresholds, keepRankings: boolean): Promise<KindPage | null> {
  const kind = requestKind(askedKind);
  // Reads that do not depend on each other go out together: each await is a round trip to the server.
  const [totalsRow, profiles, pairStats] = await Promise.all([
    pgRow<[number, number, number, number, number]>(db, 'SELECT requests, results, feedback, users, dvms FROM nostr_kinds WHERE kind = $1', [kind]),
    pgRows<[Buffer, string | null, string]>(db, 'SELECT pubkey, name, kinds FROM nostr_profiles ORDER BY created_at DESC, name NULLS FIRST, pubkey'),
    pgPairStatsOfKind(db, kind),
  ]);
  const totals: KindRow | undefined = totalsRow
    ? { requests: totalsRow[0], results: totalsRow[1], feedback: totalsRow[2], users: totalsRow[3], dvms: totalsRow[4] }
    : undefined;
  const plan = kindDvmsPlan(kind, profiles.map(([pubkey, name, kinds]) => ({ pubkey: pgHex(pubkey), name, kinds })), pairStats);
  if (!totals && plan.announcers.length === 0) return null;
  const { now } = options;
  const dvms = totals?.dvms ?? 0;
  const listed = [...plan.serving.map((row) => row.dvm), ...plan.onlyAnnouncing];
  const [names, latency, liveness, people, competition, dvmsFrom, overTime, recentJobs] = await Promise.all([
    pgAnnouncedKindNames(db),
    pgLatencyOfKind(db, kind, keepRankings),
    pgLivenessOfMany(db, listed, now, thresholds),
    pgPeople(db, listed),
    pgRow<[number, number | null, number | null]>(db, `SELECT count(*), sum((dvms > $1)::int), (SELECT kind FROM nostr_kinds WHERE kind >= 0 AND dvms > 0 ORDER BY dvms DESC, kind LIMIT 1)
      FROM nostr_kinds WHERE kind >= 0 AND dvms > 0`, [dvms]),
    pgValue<number | null>(db, 'SELECT min(first_at) FROM nostr_job_dvms'),
    pgActivitySeries(db, { window: options.window ?? '30d', bucket: options.bucket ?? '1d', now, kind, retention: options.retention }),
    pgJobsOfKind(db, kind, KIND_PAGE_RECENT_JOBS),
  ]);
  return kindPageOf({
    askedKind, kind, now, totals, names, plan, latency, liveness, people,
    competitionRow: competition ?? [0, null, null],
    dvmsFrom: dvmsFrom ?? null,
    overTime,
    recentJobs,
  });
}
