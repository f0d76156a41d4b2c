import { latencyByKey, PAIR_STATS_COLUMNS, pairStatsOfRow, type PairLatency, type PairStats } from '../../nostr/pairStatsQuery';
import { idHex } from '../../nostr/hexIds';
import { nearestRank } from '../../nostr/latencyHistogram';
import { pgId, pgRows, type PgReader } from './pgReader';

/**
 * pairStatsQuery.ts on PostgreSQL: nostr_dvm_kind_stats and nostr_dvm_kind_latency, which the PostgreSQL schema keeps
 * equal to the pairs as the SQLite triggers do. Rows come back in the same order and go through the same mappers.
 */
export async function pgPairStatsOfDvm(db: PgReader, dvm: string): Promise<PairStats[]> {
  return (await pgRows(db, `SELECT ${PAIR_STATS_COLUMNS} FROM nostr_dvm_kind_stats WHERE dvm = $1 ORDER BY kind`, [pgId(dvm)])).map(pairStatsOfRow);
}

export async function pgPairStatsOfKind(db: PgReader, kind: number): Promise<PairStats[]> {
  return (await pgRows(db, `SELECT ${PAIR_STATS_COLUMNS} FROM nostr_dvm_kind_stats WHERE kind = $1 AND jobs > 0 ORDER BY dvm`, [kind])).map(pairStatsOfRow);
}

export async function pgLatencyOfDvm(db: PgReader, dvm: string): Promise<Map<number, PairLatency>> {
  const rows = await pgRows<[number, 'r' | 'f', number, number]>(db, `SELECT kind, metric, seconds, count FROM nostr_dvm_kind_latency
    WHERE dvm = $1 AND count > 0 ORDER BY kind, metric, seconds`, [pgId(dvm)]);
  return latencyByKey(rows);
}

export async function pgLatencyOfKind(db: PgReader, kind: number): Promise<Map<string, PairLatency>> {
  const rows = await pgRows<[Buffer, 'r' | 'f', number, number]>(db, `SELECT dvm, metric, seconds, count FROM nostr_dvm_kind_latency
    WHERE dvm IN (SELECT dvm FROM nostr_dvm_kind_stats WHERE kind = $1 AND jobs > 0) AND kind = $1 AND count > 0 ORDER BY dvm, metric, seconds`, [kind]);
  return latencyByKey(rows.map(([dvm, metric, seconds, count]) => [idHex(dvm), metric, seconds, count]));
}

/** responsePercentilesOfDvms: every DVM asked in one read (an array bound as bytea[]), keyed by lower-case hex. */
export async function pgResponsePercentilesOfDvms(db: PgReader, pubkeys: readonly string[]): Promise<Map<string, (number | null)[]>> {
  const dvms = [...new Set(pubkeys.map((pubkey) => pubkey.toLowerCase()))];
  const counts = new Map<string, [number, number][]>(dvms.map((dvm) => [dvm, []]));
  if (dvms.length > 0) {
    for (const [dvm, seconds, count] of await pgRows<[string, number, number]>(db, `SELECT encode(dvm, 'hex'), seconds, sum(count) FROM nostr_dvm_kind_latency
        WHERE dvm = ANY($1::bytea[]) AND metric = 'r' AND count > 0 GROUP BY dvm, seconds ORDER BY dvm, seconds`, [dvms.map(pgId)])) {
      counts.get(dvm)?.push([seconds, count]);
    }
  }
  return new Map([...counts].map(([dvm, list]) => [dvm, nearestRank(list, [0.5, 0.9])]));
}
