import type { PairFigures } from './pageTypes';
import { idBytes, idHex } from './hexIds';
import { nearestRank } from './latencyHistogram';
import { msatsToSats } from './payments';
import type { PreparedStatements } from './preparedStatements';

/** A row of nostr_dvm_kind_stats (pageStatsMigration.ts): one DVM's (job, DVM) pairs of one kind, summed. */
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

/** nostr_dvm_kind_stats' columns in pairStatsOfRow's order. */
export const PAIR_STATS_COLUMNS = `dvm, kind, jobs, with_result, results, successes, errors, requested_msats, earned_msats, proven_msats,
  unpaid_jobs, unpaid_msats, paid_no_result, paid_no_result_msats, last_result_at, last_feedback_at`;

/** Percentiles of the response times of one (DVM, kind): first result ('r') and first feedback ('f'). */
export interface PairLatency {
  readonly response: readonly (number | null)[];
  readonly feedback: readonly (number | null)[];
}

const NO_LATENCY: PairLatency = { response: [null, null], feedback: [null, null] };
const PS = [0.5, 0.9] as const;
/** DVMs whose response times are read per statement in responsePercentilesOfDvms. */
const DVMS_CHUNK = 100;

/**
 * Reads the per-(DVM, kind) sums and exact response-time counts that triggers keep equal to the pairs stored, so a
 * page costs a few index lookups however many jobs a DVM has. A DVM's row of a kind stays (with zero jobs) after
 * retention removed its pairs: it remembers the newest result and feedback.
 */
export class PairStatsQuery {
  constructor(private readonly sql: PreparedStatements) {}

  ofDvm(dvm: string): PairStats[] {
    return this.sql.rows(`SELECT ${PAIR_STATS_COLUMNS} FROM nostr_dvm_kind_stats WHERE dvm = ?`, [idBytes(dvm)]).map(pairStatsOfRow);
  }

  ofKind(kind: number): PairStats[] {
    return this.sql.rows(`SELECT ${PAIR_STATS_COLUMNS} FROM nostr_dvm_kind_stats WHERE kind = ? AND jobs > 0`, [kind]).map(pairStatsOfRow);
  }

  /** Every kind of one DVM in one read. */
  latencyOfDvm(dvm: string): Map<number, PairLatency> {
    return latencyByKey(this.sql.rows(`SELECT kind, metric, seconds, count FROM nostr_dvm_kind_latency
        WHERE dvm = ? AND count > 0 ORDER BY kind, metric, seconds`, [idBytes(dvm)]) as [number, 'r' | 'f', number, number][]);
  }

  /** Every DVM serving one kind (jobs > 0) in one read: the kind page lists them all. */
  latencyOfKind(kind: number): Map<string, PairLatency> {
    return latencyByKey((this.sql.rows(`SELECT dvm, metric, seconds, count FROM nostr_dvm_kind_latency
        WHERE dvm IN (SELECT dvm FROM nostr_dvm_kind_stats WHERE kind = ?1 AND jobs > 0) AND kind = ?1 AND count > 0 ORDER BY dvm, metric, seconds`, [kind]) as [Uint8Array, 'r' | 'f', number, number][])
      .map(([dvm, metric, seconds, count]) => [idHex(dvm), metric, seconds, count] as const));
  }

  /**
   * Median and p90 first-result time of a DVM over all its kinds: the same pairs as a walk over its nostr_job_dvms
   * rows (the triggers keep these counts equal to them), read as at most a few hundred distinct seconds.
   */
  responsePercentilesOfDvm(dvm: string): (number | null)[] {
    return this.responsePercentilesOfDvms([dvm]).get(dvm.toLowerCase()) ?? [null, null];
  }

  /**
   * responsePercentilesOfDvm for many DVMs (the target picker's medians), one read per DVMS_CHUNK along the table's
   * (dvm, …) key. Every DVM asked has an entry, keyed by its lower-case hex; [null, null] when it has no response time yet.
   */
  responsePercentilesOfDvms(pubkeys: readonly string[]): Map<string, (number | null)[]> {
    const dvms = [...new Set(pubkeys.map((pubkey) => pubkey.toLowerCase()))];
    const counts = new Map<string, [number, number][]>(dvms.map((dvm) => [dvm, []]));
    for (let start = 0; start < dvms.length; start += DVMS_CHUNK) {
      const chunk = dvms.slice(start, start + DVMS_CHUNK);
      for (const [dvm, seconds, count] of this.sql.rows(`SELECT lower(hex(dvm)), seconds, sum(count) FROM nostr_dvm_kind_latency
          WHERE dvm IN (${chunk.map(() => '?').join(', ')}) AND metric = 'r' AND count > 0 GROUP BY dvm, seconds ORDER BY dvm, seconds`,
      chunk.map(idBytes)) as [string, number, number][]) counts.get(dvm)?.push([seconds, count]);
    }
    return new Map([...counts].map(([dvm, list]) => [dvm, nearestRank(list, PS)]));
  }

  latencyOf(dvm: string, kind: number): PairLatency {
    const rows = this.sql.rows(`SELECT metric, seconds, count FROM nostr_dvm_kind_latency WHERE dvm = ? AND kind = ? AND count > 0 ORDER BY metric, seconds`,
      [idBytes(dvm), kind]) as ['r' | 'f', number, number][];
    if (rows.length === 0) return NO_LATENCY;
    const of = (metric: 'r' | 'f') => nearestRank(rows.filter((row) => row[0] === metric).map((row) => [row[1], row[2]] as const), PS);
    return { response: of('r'), feedback: of('f') };
  }
}

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

/** A row of PAIR_STATS_COLUMNS. */
export function pairStatsOfRow(row: readonly unknown[]): PairStats {
  const n = (index: number) => row[index] as number;
  return {
    dvm: idHex(row[0] as Uint8Array), kind: n(1), jobs: n(2), withResult: n(3), results: n(4), successes: n(5), errors: n(6),
    requestedMsats: n(7), earnedMsats: n(8), provenMsats: n(9), unpaidJobs: n(10), unpaidMsats: n(11), paidNoResult: n(12), paidNoResultMsats: n(13),
    lastResultAt: row[14] as number | null, lastFeedbackAt: row[15] as number | null,
  };
}
