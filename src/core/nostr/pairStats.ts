import type { PairFigures } from './pageTypes';
import { idHex } from './hexIds';
import { nearestRank } from './latencyHistogram';
import { msatsToSats } from './payments';

/** A row of nostr_dvm_kind_stats (sqlitePageStatsMigration.ts): one DVM's (job, DVM) pairs of one kind, summed. */
export interface PairStats {
  readonly dvm: string;
  readonly kind: number;
  readonly jobs: number;
  readonly withResult: number;
  readonly results: number;
  readonly successes: number;
  readonly errors: number;
  readonly requestedMsats: number;
  readonly earnedMsats: number;
  readonly provenMsats: number;
  readonly unpaidJobs: number;
  readonly unpaidMsats: number;
  readonly paidNoResult: number;
  readonly paidNoResultMsats: number;
  readonly lastResultAt: number | null;
  readonly lastFeedbackAt: number | null;
}

/** Percentiles of the response times of one (DVM, kind): first result ('r') and first feedback ('f'). */
export interface PairLatency {
  readonly response: readonly (number | null)[];
  readonly feedback: readonly (number | null)[];
}

export const NO_LATENCY: PairLatency = { response: [null, null], feedback: [null, null] };
export const PS = [0.5, 0.9] as const;

/** The page figures of a stats row (DESIGN.md "A DVM's jobs", "Sats"). */
export function pairFigures(stats: PairStats, latency: PairLatency = NO_LATENCY): PairFigures {
  return {
    jobs: stats.jobs,
    results: stats.results,
    jobsWithResult: stats.withResult,
    successes: stats.successes,
    errors: stats.errors,
    successRate: stats.jobs > 0 ? stats.successes / stats.jobs : null,
    p50ResponseSec: latency.response[0],
    p90ResponseSec: latency.response[1],
    p50FeedbackSec: latency.feedback[0],
    p90FeedbackSec: latency.feedback[1],
    satsRequested: msatsToSats(stats.requestedMsats),
    satsEarned: msatsToSats(stats.earnedMsats),
    satsProven: msatsToSats(stats.provenMsats),
  };
}

/** The stats of a (DVM, kind) with no pair kept: a DVM that only announces the kind, or only has requests waiting. */
export function emptyPairStats(dvm: string, kind: number): PairStats {
  return {
    dvm, kind, jobs: 0, withResult: 0, results: 0, successes: 0, errors: 0, requestedMsats: 0, earnedMsats: 0, provenMsats: 0,
    unpaidJobs: 0, unpaidMsats: 0, paidNoResult: 0, paidNoResultMsats: 0, lastResultAt: null, lastFeedbackAt: null,
  };
}

/**
 * Per key (a kind, or a DVM), the median and p90 of first result ('r') and first feedback ('f') from rows of
 * [key, metric, seconds, count] ordered by key, metric, seconds.
 */
export function latencyByKey<K>(rows: Iterable<readonly [K, 'r' | 'f', number, number]>): Map<K, PairLatency> {
  const counts = new Map<K, { r: [number, number][]; f: [number, number][] }>();
  for (const [key, metric, seconds, count] of rows) {
    let entry = counts.get(key);
    if (!entry) counts.set(key, (entry = { r: [], f: [] }));
    entry[metric].push([seconds, count]);
  }
  return new Map([...counts].map(([key, entry]) => [key, { response: nearestRank(entry.r, PS), feedback: nearestRank(entry.f, PS) }]));
}

/** A row of PAIR_STATS_COLUMNS (store/sharedSql/nostrSql.ts). */
export function pairStatsOfRow(row: readonly unknown[]): PairStats {
  const n = (index: number) => row[index] as number;
  return {
    dvm: idHex(row[0] as Uint8Array), kind: n(1), jobs: n(2), withResult: n(3), results: n(4), successes: n(5), errors: n(6),
    requestedMsats: n(7), earnedMsats: n(8), provenMsats: n(9), unpaidJobs: n(10), unpaidMsats: n(11), paidNoResult: n(12), paidNoResultMsats: n(13),
    lastResultAt: row[14] as number | null, lastFeedbackAt: row[15] as number | null,
  };
}
