import type pg from 'pg';
import type { ContextVmServer } from '../../src/core/nostr/contextVmTypes';
import type { CoreKit } from '../fixtures/nostr/eventBuilders';

/**
 * Table-by-table comparison of a sql.js Nostr store and a PostgreSQL one holding the same events: what the
 * PostgreSQL adapter's tests (ingest, retention) assert equal.
 */

/** Tables the rules write, compared whole (the relay and ContextVM tables and raw sequence numbers aside). */
export const COMPARED_TABLES = [
  'nostr_jobs', 'nostr_job_targets', 'nostr_job_links', 'nostr_job_dvms', 'nostr_deletions', 'nostr_zaps', 'nostr_rollups', 'nostr_latency_rollups',
  'nostr_profiles', 'nostr_metadata', 'nostr_heartbeats', 'nostr_counters', 'nostr_dvms', 'nostr_kinds', 'nostr_users', 'nostr_kind_users', 'nostr_kind_dvms',
  'nostr_latency_totals', 'nostr_dvm_kind_stats', 'nostr_dvm_kind_latency', 'nostr_user_rollups', 'nostr_rollup_totals', 'nostr_rollup_bucket_dvms',
  'nostr_contextvm_parts', 'nostr_contextvm_relays',
];

/**
 * sql.js fires its triggers on every statement of a batch, PostgreSQL on the rows a batch writes: an answer stored
 * before its request in the same batch leaves sql.js an emptied (DVM, kind -1) stats row (zero jobs, remembering
 * when it answered) that PostgreSQL never had. Readers skip those (jobs > 0, count > 0), so the comparison does.
 */
export const COMPARED_WHERE: Readonly<Record<string, string>> = {
  nostr_dvm_kind_stats: ' WHERE jobs > 0',
  nostr_dvm_kind_latency: ' WHERE count > 0',
};

/** The raw row but its sequence number and relay, which each store numbers its own way. */
export const RAW_COLUMNS = 'id, pubkey, kind, created_at, job_id, tags, content, sig';

/** A cell as text: bytes as hex, numbers and bigint text alike. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return String(value);
}

function sorted(rows: unknown[][]): string[] {
  return rows.map((row) => row.map(cell).join(' | ')).sort();
}

/**
 * Columns whose values each store numbers its own way: `timed_stamp` is a store-wide change counter whose value
 * depends on the order a statement's rows are written in, which PostgreSQL does not fix; readers only compare it
 * with itself.
 */
const OWN_NUMBERING = new Set(['timed_stamp']);

/** The SELECT that reads `table`'s compared rows on either store: sql.js's columns but OWN_NUMBERING, COMPARED_WHERE. */
export function comparedRows(kit: CoreKit, table: string): string {
  const columns = kit.store.db.exec(`SELECT name FROM pragma_table_info('${table}')`)[0].values.map((row) => String(row[0]));
  return `SELECT ${columns.filter((column) => !OWN_NUMBERING.has(column)).join(', ')} FROM ${table}${COMPARED_WHERE[table] ?? ''}`;
}

export function sqliteRows(kit: CoreKit, sql: string): string[] {
  return sorted(kit.store.db.exec(sql)[0]?.values ?? []);
}

export async function postgresRows(pool: pg.Pool, sql: string): Promise<string[]> {
  return sorted((await pool.query({ text: sql, rowMode: 'array' })).rows as unknown[][]);
}

/** The tables among `tables` whose rows differ between the two stores (sql.js's columns, on both). */
export async function differingTables(kit: CoreKit, pool: pg.Pool, tables: readonly string[] = COMPARED_TABLES): Promise<string[]> {
  const differing: string[] = [];
  for (const table of tables) {
    const sql = comparedRows(kit, table);
    if (JSON.stringify(await postgresRows(pool, sql)) !== JSON.stringify(sqliteRows(kit, sql))) differing.push(table);
  }
  return differing;
}

/** Each store counts ContextVM traffic from when it opened: the counts, not the second the counting started, must agree. */
export function withoutCountingStart(servers: readonly ContextVmServer[]): ContextVmServer[] {
  return servers.map((server) => ({ ...server, traffic: { ...server.traffic, since: 0 } }));
}
