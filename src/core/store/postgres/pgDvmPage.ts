import type { DvmPage, DvmRecentEvent } from '../../nostr/pageTypes';
import { dvmKindFigures, dvmPageOf, dvmTotalsOf, heartbeatOf, livenessCardOf, profileCardOf, type DvmPageOptions, type DvmTotalsRow } from '../../nostr/dvmPageParts';
import { problemPairsScan, problemsWithoutScan, errorMessagesOf, PROBLEM_SCAN_JOBS, type ErrorFeedback, type ProblemPairRow } from '../../nostr/dvmProblemRows';
import { recentEventOf, RECENT_EVENTS, type RecentEventRow } from '../../nostr/dvmRecentEventRows';
import type { LivenessThresholds } from '../../nostr/liveness';
import { KIND_HEARTBEAT } from '../../nostr/nostrEvent';
import type { PairStats } from '../../nostr/pairStats';
import { pgActivitySeries } from './pgActivitySeries';
import { pgAnnouncedKindNames, pgLoadProfile } from './pgDvmNames';
import { pgLivenessOf, pgWaitingByKind } from './pgLiveness';
import { pgLatencyOfDvm, pgPairStatsOfDvm } from './pgPairStats';
import { pgHex, pgId, pgRow, pgRows, pgValue, type PgReader } from './pgReader';

/**
 * The DVM page (sqliteDvmPageQuery.ts) on PostgreSQL. Its parts are independent index reads, sent together; what they
 * become on the page is decided by the same functions the sql.js page uses.
 */
export async function pgDvmPage(db: PgReader, pubkey: string, options: DvmPageOptions, thresholds: LivenessThresholds): Promise<DvmPage | null> {
  const key = pgId(pubkey);
  const totalsRow = await pgRow<[number, number, number, number, number, number, number, number]>(db,
    'SELECT jobs, results, successes, errors, sats_requested, sats_earned, sats_proven, first_seen FROM nostr_dvms WHERE pubkey = $1', [key]);
  if (!totalsRow) return null;
  const [jobs, results, successes, errors, requested, earned, proven, firstSeen] = totalsRow;
  const totals = dvmTotalsOf({ jobs, results, successes, errors, sats_requested: requested, sats_earned: earned, sats_proven: proven, first_seen: firstSeen } satisfies DvmTotalsRow);
  const { now } = options;
  const [names, stats, latency, waiting, recent, profile, handlers, kindsFrom, state, heartbeat, jobsOverTime] = await Promise.all([
    pgAnnouncedKindNames(db),
    pgPairStatsOfDvm(db, pubkey),
    pgLatencyOfDvm(db, pubkey),
    pgWaitingByKind(db, pubkey, now),
    pgDvmRecentEvents(db, pubkey),
    pgLoadProfile(db, pubkey),
    pgRows<[string | null, number]>(db, 'SELECT relays::text, created_at FROM nostr_profiles WHERE pubkey = $1 ORDER BY created_at DESC, d', [key]),
    pgValue<number | null>(db, 'SELECT min(first_at) FROM nostr_job_dvms WHERE dvm = $1', [key]),
    pgLivenessOf(db, pubkey, now, thresholds),
    pgHeartbeat(db, key),
    pgActivitySeries(db, { window: options.window ?? '30d', bucket: options.bucket ?? '1d', now, dvm: pubkey, retention: options.retention }),
  ]);
  const waitingTotal = [...waiting.values()].reduce((sum, n) => sum + n, 0);
  return dvmPageOf({
    pubkey,
    now,
    profile: profileCardOf(profile, handlers, names),
    liveness: livenessCardOf(state, now, stats, recent, heartbeat, waitingTotal),
    totals,
    kinds: dvmKindFigures(pubkey, stats, latency, waiting, names),
    kindsFrom: kindsFrom ?? null,
    problems: await pgDvmProblems(db, pubkey, stats),
    jobsOverTime,
    recent,
  });
}

/** dvmRecentEvents: its answers on its RECENT_EVENTS newest jobs, newest first, through (dvm, first_at) and job_id. */
export async function pgDvmRecentEvents(db: PgReader, dvm: string): Promise<DvmRecentEvent[]> {
  const rows = await pgRows<RecentEventRow>(db, `SELECT e.id, e.kind, e.created_at, e.job_id, e.tags::text FROM
      (SELECT request_id FROM nostr_job_dvms WHERE dvm = $1 ORDER BY first_at DESC, request_id DESC LIMIT $2) p
    JOIN nostr_events e ON e.job_id = p.request_id
    WHERE e.pubkey = $1 AND (e.kind = 7000 OR (e.kind >= 6000 AND e.kind <= 6999))
    ORDER BY e.created_at DESC, e.seq DESC LIMIT $2`, [pgId(dvm), RECENT_EVENTS]);
  return rows.map(recentEventOf);
}

/** dvmProblems: the newest pairs scanned for examples, then every errored job's error feedback in one read. */
async function pgDvmProblems(db: PgReader, dvm: string, stats: readonly PairStats[]) {
  const quiet = problemsWithoutScan(stats);
  if (quiet) return quiet;
  const key = pgId(dvm);
  const pairs = await pgRows<ProblemPairRow>(db, `SELECT request_id, kind, first_at, requested_msats, proven_msats, results, errored
      FROM nostr_job_dvms WHERE dvm = $1 ORDER BY first_at DESC, request_id DESC LIMIT $2`, [key, PROBLEM_SCAN_JOBS]);
  const scan = problemPairsScan(stats, pairs);
  const feedback = scan.errored.length === 0 ? [] : await pgRows<[Buffer, string, string, number]>(db, `SELECT job_id, tags::text, content, created_at FROM nostr_events
      WHERE job_id = ANY($1::bytea[]) AND pubkey = $2 AND kind = 7000 ORDER BY seq`, [scan.errored, key]);
  const byJob = new Map<string, ErrorFeedback[]>();
  for (const [job, tags, content, at] of feedback) {
    const hex = pgHex(job);
    byJob.set(hex, [...(byJob.get(hex) ?? []), [tags, content, at]]);
  }
  return { ...scan.problems, errorMessages: errorMessagesOf(scan.errored.map((job) => [job, byJob.get(pgHex(job)) ?? []])), errorJobsScanned: scan.errored.length };
}

async function pgHeartbeat(db: PgReader, key: Buffer): Promise<{ at: number | null; expiresAt: number | null }> {
  const at = (await pgValue<number>(db, 'SELECT last_at FROM nostr_heartbeats WHERE pubkey = $1', [key])) ?? null;
  if (at === null) return heartbeatOf(null, undefined);
  const tags = await pgValue<string>(db, 'SELECT tags::text FROM nostr_events WHERE created_at = $1 AND kind = $2 AND pubkey = $3 ORDER BY seq DESC LIMIT 1', [at, KIND_HEARTBEAT, key]);
  return heartbeatOf(at, tags);
}
