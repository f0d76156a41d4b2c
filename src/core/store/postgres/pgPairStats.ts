import { latencyByKey, pairStatsOfRow, type PairLatency, type PairStats } from '../../nostr/pairStats';
import { PAIR_STATS_COLUMNS } from '../sharedSql/nostrSql';
import { pgColumn, pgId, pgRows, type PgReader } from './pgReader';

/**
 * sqlitePairStatsQuery.ts on PostgreSQL: nostr_dvm_kind_stats and nostr_dvm_kind_latency, which the PostgreSQL schema keeps
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
 * computes it) of `counts`, a query of (key, seconds, n) rows, per key, as columns p50 and p90.
 */
function ranked(counts: string, key: string): string {
  return `WITH c AS (${counts}),
    r AS (SELECT ${key}, seconds, sum(n) OVER (PARTITION BY ${key} ORDER BY seconds) AS running, sum(n) OVER (PARTITION BY ${key}) AS total FROM c)
    SELECT ${key}, min(seconds) FILTER (WHERE running >= greatest(1, ceil(0.5::float8 * total::float8))) AS p50,
      min(seconds) FILTER (WHERE running >= greatest(1, ceil(0.9::float8 * total::float8))) AS p90
    FROM r GROUP BY ${key}`;
}

/*
 * Ranking is a walk over every (DVM, second) count: at 1 million jobs kind 5300's 880 DVMs hold ~270,000 of them,
 * ~1 s to rank on a loaded 2-core machine, every time the kind page or the DVMs list was read. So each ranking is
 * kept (nostr_dvm_kind_percentiles per (DVM, kind), nostr_dvm_percentiles per DVM over its kinds) with the xmin of
 * the stats rows it was ranked from: the pair trigger rewrites a (DVM, kind) stats row in the same transaction as
 * any change to its latency counts (pairStatsFunction), so an equal xmin means the counts have not changed. A read
 * ranks again only the DVMs whose stats rows moved since, reading the versions and counts in one statement (one
 * snapshot), and stores what it ranked; a stale store by a slower concurrent read is caught by the next read's check.
 *
 * A team may give its editors a role that can only SELECT, or point them at a read-only standby: there the read
 * ranks what is stale and keeps nothing. Whether it may keep is the store's answer at open (Storage.readOnlyReason,
 * pgWritePrivileges.ts), passed in as `keep`: the same answer that stops retention, not a second question to the server.
 * Such a reader still uses every ranking a writer kept: a writer's maintenance pass keeps whatever is stale
 * (pgKeepStaleRankings), so a reader that may not keep ranks at most what changed since the last pass.
 */
const KIND_VERSION = 'xmin::text::bigint';
const DVM_VERSION = `string_agg(kind::text || ':' || xmin::text, ',' ORDER BY kind)`;

/** $1 the kind, $2 the stale DVMs: their rankings as `fresh` (dvm, kind, version, response_p50, response_p90, feedback_p50, feedback_p90). */
const KIND_RANKING = `WITH v AS (SELECT dvm, ${KIND_VERSION} AS version FROM nostr_dvm_kind_stats WHERE kind = $1 AND dvm = ANY($2::bytea[])),
    p AS (${ranked('SELECT dvm, metric, seconds, count AS n FROM nostr_dvm_kind_latency WHERE kind = $1 AND dvm = ANY($2::bytea[]) AND count > 0', 'dvm, metric')}),
    fresh AS (SELECT v.dvm, $1::int AS kind, v.version, r.p50 AS response_p50, r.p90 AS response_p90, f.p50 AS feedback_p50, f.p90 AS feedback_p90
      FROM v LEFT JOIN p r ON r.dvm = v.dvm AND r.metric = 'r' LEFT JOIN p f ON f.dvm = v.dvm AND f.metric = 'f')`;
const KIND_RANKED = `${KIND_RANKING} SELECT encode(dvm, 'hex'), response_p50, response_p90, feedback_p50, feedback_p90 FROM fresh`;
const KIND_RANKED_AND_KEPT = `${KIND_RANKING}
  INSERT INTO nostr_dvm_kind_percentiles (dvm, kind, version, response_p50, response_p90, feedback_p50, feedback_p90)
  SELECT * FROM fresh ORDER BY dvm
  ON CONFLICT (dvm, kind) DO UPDATE SET version = excluded.version, response_p50 = excluded.response_p50, response_p90 = excluded.response_p90,
    feedback_p50 = excluded.feedback_p50, feedback_p90 = excluded.feedback_p90
  RETURNING encode(dvm, 'hex'), response_p50, response_p90, feedback_p50, feedback_p90`;

/** `keep`: this store may be written here (no Storage.readOnlyReason), so what is ranked anew is kept. */
export async function pgLatencyOfKind(db: PgReader, kind: number, keep: boolean): Promise<Map<string, PairLatency>> {
  type Row = [dvm: string, responseP50: number | null, responseP90: number | null, feedbackP50: number | null, feedbackP90: number | null];
  const kept = await pgRows<[...Row, boolean]>(db, `SELECT encode(s.dvm, 'hex'), c.response_p50, c.response_p90, c.feedback_p50, c.feedback_p90,
      c.version IS NOT DISTINCT FROM s.${KIND_VERSION}
    FROM nostr_dvm_kind_stats s LEFT JOIN nostr_dvm_kind_percentiles c ON c.dvm = s.dvm AND c.kind = s.kind
    WHERE s.kind = $1 AND s.jobs > 0`, [kind]);
  const stale = kept.filter((row) => !row[5]).map((row) => pgId(row[0]));
  const ranks: Row[] = kept.filter((row) => row[5]).map((row) => row.slice(0, 5) as Row);
  if (stale.length > 0) ranks.push(...await pgRows<Row>(db, keep ? KIND_RANKED_AND_KEPT : KIND_RANKED, [kind, stale]));
  // As latencyByKey: an entry for each DVM with any count of this kind (a metric with counts always has a median).
  return new Map(ranks.filter((row) => row[1] !== null || row[3] !== null)
    .map(([dvm, r50, r90, f50, f90]) => [dvm, { response: [r50, r90], feedback: [f50, f90] }]));
}

/** $1 the stale DVMs: their response-time rankings over all their kinds as `fresh` (dvm, version, p50, p90). */
const DVM_RANKING = `WITH v AS (SELECT dvm, ${DVM_VERSION} AS version FROM nostr_dvm_kind_stats WHERE dvm = ANY($1::bytea[]) GROUP BY dvm),
    p AS (${ranked("SELECT dvm, seconds, sum(count) AS n FROM nostr_dvm_kind_latency WHERE dvm = ANY($1::bytea[]) AND metric = 'r' AND count > 0 GROUP BY dvm, seconds", 'dvm')}),
    fresh AS (SELECT v.dvm, v.version, p.p50, p.p90 FROM v LEFT JOIN p ON p.dvm = v.dvm)`;
const DVM_RANKED = `${DVM_RANKING} SELECT encode(dvm, 'hex'), p50, p90 FROM fresh`;
const DVM_RANKED_AND_KEPT = `${DVM_RANKING}
  INSERT INTO nostr_dvm_percentiles (dvm, version, p50, p90)
  SELECT * FROM fresh ORDER BY dvm
  ON CONFLICT (dvm) DO UPDATE SET version = excluded.version, p50 = excluded.p50, p90 = excluded.p90
  RETURNING encode(dvm, 'hex'), p50, p90`;

/**
 * responsePercentilesOfDvms: every DVM asked in one read, keyed by lower-case hex ([null, null]: no response time yet).
 * `keep` as for pgLatencyOfKind.
 */
export async function pgResponsePercentilesOfDvms(db: PgReader, pubkeys: readonly string[], keep: boolean): Promise<Map<string, (number | null)[]>> {
  const dvms = [...new Set(pubkeys.map((pubkey) => pubkey.toLowerCase()))];
  const percentiles = new Map<string, (number | null)[]>(dvms.map((dvm) => [dvm, [null, null]]));
  if (dvms.length === 0) return percentiles;
  // A DVM without stats rows has no counts either (version NULL): nothing to rank or keep.
  const kept = await pgRows<[string, number | null, number | null, boolean]>(db, `SELECT encode(d.k, 'hex'), c.p50, c.p90, v.version IS NULL OR c.version = v.version
    FROM unnest($1::bytea[]) d (k)
      LEFT JOIN LATERAL (SELECT ${DVM_VERSION} AS version FROM nostr_dvm_kind_stats WHERE dvm = d.k) v ON true
      LEFT JOIN nostr_dvm_percentiles c ON c.dvm = d.k`, [dvms.map(pgId)]);
  const stale = kept.filter((row) => !row[3]).map((row) => pgId(row[0]));
  const ranks = kept.filter((row) => row[3]).map((row) => row.slice(0, 3) as [string, number | null, number | null]);
  if (stale.length > 0) ranks.push(...await pgRows<[string, number | null, number | null]>(db, keep ? DVM_RANKED_AND_KEPT : DVM_RANKED, [stale]));
  for (const [dvm, p50, p90] of ranks) if (percentiles.has(dvm) && p50 !== null) percentiles.set(dvm, [p50, p90]);
  return percentiles;
}

/**
 * Ranks and keeps every stale ranking of the kind pages and the DVMs list, as their reads would: for a writer's
 * maintenance pass (retention moves the counts too), so that readers that may not keep find them ranked. Only for
 * a store that may be written here: one that may not would rank for nothing (its reads rank what they show).
 */
export async function pgKeepStaleRankings(db: PgReader): Promise<void> {
  const kinds = await pgColumn<number>(db, `SELECT DISTINCT s.kind FROM nostr_dvm_kind_stats s
      LEFT JOIN nostr_dvm_kind_percentiles c ON c.dvm = s.dvm AND c.kind = s.kind
    WHERE s.kind >= 0 AND s.jobs > 0 AND c.version IS DISTINCT FROM s.${KIND_VERSION} ORDER BY s.kind`);
  for (const kind of kinds) await pgLatencyOfKind(db, kind, true);
  const dvms = await pgColumn<string>(db, `SELECT encode(v.dvm, 'hex') FROM (SELECT dvm, ${DVM_VERSION} AS version FROM nostr_dvm_kind_stats GROUP BY dvm) v
      LEFT JOIN nostr_dvm_percentiles c ON c.dvm = v.dvm
    WHERE c.version IS DISTINCT FROM v.version ORDER BY 1`);
  if (dvms.length > 0) await pgResponsePercentilesOfDvms(db, dvms, true);
}
