import { idBytes, idHex } from '../../../nostr/hexIds';
import { nearestRank } from '../../../nostr/latencyHistogram';
import type { PreparedStatements } from './preparedStatements';
import {
  latencyByKey, NO_LATENCY, pairStatsOfRow, PS, type PairLatency, type PairStats,
} from '../../../nostr/pairStats';
import { PAIR_STATS_COLUMNS } from '../../sharedSql/nostrSql';

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
