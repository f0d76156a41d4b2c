import { latencyByKey, PAIR_STATS_COLUMNS, pairStatsOfRow, type PairLatency, type PairStats } from '../../nostr/pairStatsQuery';
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

/**
 * Nearest-rank median and p90 (latencyHistogram.ts nearestRank: rank = max(1, ceil(p · n)), in float8 as JavaScript
 * computes it) of `counts`, a query of (key, seconds, n) rows, per key. At 1 million jobs a busy kind's DVMs hold
 * ~200,000 (DVM, second) counts: ranking them here sends two numbers per DVM instead of every count.
 */
function ranked(counts: string, key: string): string {
  return `WITH c AS (${counts}),
    r AS (SELECT ${key}, seconds, sum(n) OVER (PARTITION BY ${key} ORDER BY seconds) AS running, sum(n) OVER (PARTITION BY ${key}) AS total FROM c)
    SELECT ${key}, min(seconds) FILTER (WHERE running >= greatest(1, ceil(0.5::float8 * total::float8))),
      min(seconds) FILTER (WHERE running >= greatest(1, ceil(0.9::float8 * total::float8)))
    FROM r GROUP BY ${key}`;
}

export async function pgLatencyOfKind(db: PgReader, kind: number): Promise<Map<string, PairLatency>> {
  const rows = await pgRows<[string, 'r' | 'f', number | null, number | null]>(db, ranked(`SELECT encode(dvm, 'hex') AS dvm, metric, seconds, count AS n FROM nostr_dvm_kind_latency
    WHERE dvm IN (SELECT dvm FROM nostr_dvm_kind_stats WHERE kind = $1 AND jobs > 0) AND kind = $1 AND count > 0`, 'dvm, metric'), [kind]);
  const latency = new Map<string, { response: (number | null)[]; feedback: (number | null)[] }>();
  for (const [dvm, metric, p50, p90] of rows) {
    const entry = latency.get(dvm) ?? { response: [null, null], feedback: [null, null] };
    entry[metric === 'r' ? 'response' : 'feedback'] = [p50, p90];
    latency.set(dvm, entry);
  }
  return latency;
}

/** responsePercentilesOfDvms: every DVM asked in one read, keyed by lower-case hex ([null, null]: no response time yet). */
export async function pgResponsePercentilesOfDvms(db: PgReader, pubkeys: readonly string[]): Promise<Map<string, (number | null)[]>> {
  const dvms = [...new Set(pubkeys.map((pubkey) => pubkey.toLowerCase()))];
  const percentiles = new Map<string, (number | null)[]>(dvms.map((dvm) => [dvm, [null, null]]));
  if (dvms.length === 0) return percentiles;
  for (const [dvm, p50, p90] of await pgRows<[string, number | null, number | null]>(db, ranked(`SELECT encode(dvm, 'hex') AS dvm, seconds, sum(count) AS n
      FROM nostr_dvm_kind_latency WHERE dvm = ANY($1::bytea[]) AND metric = 'r' AND count > 0 GROUP BY dvm, seconds`, 'dvm'), [dvms.map(pgId)])) {
    if (percentiles.has(dvm)) percentiles.set(dvm, [p50, p90]);
  }
  return percentiles;
}
