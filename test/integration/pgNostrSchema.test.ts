import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { postedJobsMigrations } from '../../src/core/jobs/postedJobsMigrations';
import { nostrMigrations } from '../../src/core/nostr';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/** Table → sorted column names of the nostr_ tables. */
type Shape = Record<string, string[]>;

async function sqliteShape(): Promise<Shape> {
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...nostrMigrations, ...postedJobsMigrations] });
  try {
    const shape: Shape = {};
    const tables = store.db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'nostr\\_%' ESCAPE '\\'")[0].values.map((row) => row[0] as string);
    for (const table of tables) shape[table] = store.db.exec(`SELECT name FROM pragma_table_info('${table}')`)[0].values.map((row) => row[0] as string).sort();
    return shape;
  } finally {
    await store.close();
  }
}

async function postgresShape(client: pg.Client): Promise<Shape> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'nostr\\_%'");
  const shape: Shape = {};
  for (const row of rows) (shape[row.table_name] ??= []).push(row.column_name);
  for (const columns of Object.values(shape)) columns.sort();
  return shape;
}

describe('PostgreSQL Nostr schema', () => {
  let server: PostgresServer;
  let client: pg.Client;
  before(async () => {
    server = await startPostgres();
    const url = await createDatabase(server);
    const pool = await openPgPool(url);
    try {
      assert.deepEqual((await runPgMigrations(pool, pgNostrMigrations, url)).applied, pgNostrMigrations.map((migration) => migration.id));
    } finally {
      await pool.end();
    }
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await server?.stop();
  });

  it('applies on a fresh server with the tables and columns of the sql.js schema, so one set of queries names both', async () => {
    const expected = await sqliteShape();
    assert.ok(Object.keys(expected).length > 20);
    assert.deepEqual(sortKeys(await postgresShape(client)), sortKeys(expected));
  });

  it('keeps the page stats, user rollups and bucket totals that the sql.js triggers keep', async () => {
    const dvm = Buffer.alloc(32, 1);
    const customer = Buffer.alloc(32, 2);
    const at = 1_750_000_000;
    // Two jobs of one author in one statement: one user per bucket, not two.
    await client.query(`INSERT INTO nostr_jobs (request_id, kind, customer, created_at, encrypted) VALUES
      ($1, 5050, $3, ${at}, 0), ($2, 5050, $3, ${at + 10}, 0)`, [Buffer.alloc(32, 3), Buffer.alloc(32, 4), customer]);
    const users = await client.query("SELECT kind, users FROM nostr_user_rollups WHERE period = 'h' ORDER BY kind");
    assert.deepEqual(users.rows.map((row) => [row.kind, Number(row.users)]), [[0, 1], [5050, 1]]);
    // A pair before its request (kind -1), then moved to its kind with a result: the stats follow it.
    await client.query(`INSERT INTO nostr_job_dvms (request_id, dvm, kind, first_at, last_at, feedback, first_feedback_at, requested_msats)
      VALUES ($1, $2, -1, ${at}, ${at}, 1, ${at}, 21000)`, [Buffer.alloc(32, 3), dvm]);
    await client.query(`UPDATE nostr_job_dvms SET kind = 5050, results = 1, first_result_at = ${at + 5}, response_sec = 5 WHERE dvm = $1`, [dvm]);
    const stats = await client.query('SELECT kind, jobs, with_result, earned_msats, unpaid_jobs, last_result_at FROM nostr_dvm_kind_stats WHERE dvm = $1 ORDER BY kind', [dvm]);
    assert.deepEqual(stats.rows.map((row) => Object.values(row).map(num)), [[-1, 0, 0, 0, 0, null], [5050, 1, 1, 21000, 0, at + 5]]);
    const latency = await client.query("SELECT kind, metric, seconds, count FROM nostr_dvm_kind_latency WHERE dvm = $1 AND count > 0", [dvm]);
    assert.deepEqual(latency.rows.map((row) => [row.kind, row.metric, Number(row.seconds), Number(row.count)]), [[5050, 'r', 5, 1]]);
    // Rollups: totals and active DVMs per bucket, kept through insert, update and delete.
    await client.query(`INSERT INTO nostr_rollups (period, bucket, kind, dvm, requests, results) VALUES ('h', 0, 5050, '\\x'::bytea, 2, 0), ('h', 0, 5050, $1, 0, 1)`, [dvm]);
    await client.query("INSERT INTO nostr_latency_rollups (period, bucket, metric, slot, count) VALUES ('h', 0, 'r', 5, 2)");
    let totals = await client.query("SELECT requests, results, dvms, timed, timed_slots, timed_stamp FROM nostr_rollup_totals WHERE period = 'h' AND bucket = 0");
    assert.deepEqual(Object.values(totals.rows[0]).map(Number), [2, 1, 1, 2, 10, 1]);
    await client.query('DELETE FROM nostr_rollups WHERE dvm = $1', [dvm]);
    totals = await client.query("SELECT requests, results, dvms FROM nostr_rollup_totals WHERE period = 'h' AND bucket = 0");
    assert.deepEqual(Object.values(totals.rows[0]).map(Number), [2, 0, 0]);
    await client.query("DELETE FROM nostr_rollups; DELETE FROM nostr_latency_rollups");
    assert.equal((await client.query('SELECT count(*) FROM nostr_rollup_totals')).rows[0].count, '0');
  });
});

/** bigint columns arrive as text. */
function num(value: unknown): number | null {
  return value === null ? null : Number(value);
}

function sortKeys(shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => a.localeCompare(b)));
}
