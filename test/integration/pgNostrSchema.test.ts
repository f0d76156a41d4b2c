import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { postedJobsMigrations } from '../../src/core/store/sqlite/jobs/postedJobsMigrations';
import { nostrMigrations } from '../../src/core/store/sqlite/nostr/nostrMigrations';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { Store } from '../../src/core/store/sqlite/store';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { type CoreKit, DEFAULT_EXCLUDED, fixtureEvents, openCore } from '../fixtures/nostr/eventBuilders';
import { pageTraffic } from '../fixtures/nostr/pageTraffic';
import { comparedRows, COMPARED_WHERE, postgresRows, sqliteRows } from '../support/nostrTableParity';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/**
 * The tables only triggers write, on either store (sqlitePageStatsMigration.ts, sqliteSeriesTotalsMigration.ts; pgNostrMigrations.ts),
 * compared as the other parity tests compare tables (nostrTableParity.ts: comparedRows).
 */
const TRIGGER_TABLES = ['nostr_dvm_kind_stats', 'nostr_dvm_kind_latency', 'nostr_user_rollups', 'nostr_rollup_totals', 'nostr_rollup_bucket_dvms'];

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

  it('keeps the page stats, user rollups and bucket totals that the sql.js triggers keep, through inserts, moves and deletes', async () => {
    // The same real signed events into a sql.js store and a fresh PostgreSQL one, each by its own ingest; the tables
    // the triggers maintain are then compared row for row, so this checks parity with sql.js, not remembered figures.
    const url = await createDatabase(server);
    const pool = await openPgPool(url);
    const kit = await openCore();
    try {
      await runPgMigrations(pool, pgNostrMigrations, url);
      const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
      const ingest = async (events: readonly NostrEvent[]) => {
        // Batches of 37: several jobs of one customer in one statement (PostgreSQL's user rollups fire once per
        // statement, sql.js's once per row), and jobs of a customer already stored in the same bucket.
        for (let i = 0; i < events.length; i += 37) {
          const batch = events.slice(i, i + 37);
          await kit.core.ingest('wss://relay.example', batch);
          await ingestor.ingest('wss://relay.example', batch);
        }
      };
      const sameFigures = async (stage: string) => {
        for (const table of TRIGGER_TABLES) {
          const sql = comparedRows(kit, table);
          assert.deepEqual(await postgresRows(pool, sql), sqliteRows(kit, sql), `${table} after ${stage}`);
        }
      };
      const count = (sql: string) => sqliteRows(kit, sql).length;

      const traffic = pageTraffic();
      const events = [...fixtureEvents(), ...traffic.events];
      const isAnswer = (event: NostrEvent) => event.kind >= 6000 && event.kind <= 7000;
      // Answers first: their pairs are stored under kind -1 (no request yet), then moved to the request's kind.
      await ingest(events.filter(isAnswer));
      assert.ok(count('SELECT 1 FROM nostr_job_dvms WHERE kind = -1') > 20, 'pairs waiting for their request');
      await sameFigures('the answers alone');
      // timed_stamp is left out of the row comparisons (each store numbers it its own way), but the median caches
      // (pgActivitySeries.ts, sqliteSeriesQuery.ts) recompute a bucket only when it moves: whenever a bucket's timed
      // figure changes, its stamp must have changed too, on either store.
      const stampsBefore = await timedStamps(kit, pool);
      await ingest(events.filter((event) => !isAnswer(event)));
      assert.ok(count('SELECT 1 FROM nostr_job_dvms WHERE kind = 5050') > 20, 'pairs moved to their request\'s kind');
      const stampsAfter = await timedStamps(kit, pool);
      for (const store of ['sqlite', 'postgres'] as const) {
        const retimed = [...stampsAfter[store]].filter(([bucket, after]) => after.timed !== (stampsBefore[store].get(bucket) ?? UNTIMED).timed);
        assert.ok(retimed.length > 0, `the requests time answers on ${store}`);
        for (const [bucket, after] of retimed) {
          assert.notEqual(after.stamp, (stampsBefore[store].get(bucket) ?? UNTIMED).stamp, `${store}: bucket ${bucket}'s timed_stamp moved with its timed figure`);
        }
      }
      for (const table of TRIGGER_TABLES) assert.ok(count(`SELECT 1 FROM ${table}${COMPARED_WHERE[table] ?? ''}`) > 0, `${table} has rows to compare`);
      await sameFigures('the requests');

      // Deletes (as retention makes them) take figures back out again: one DVM's pairs and rollups, then every rollup.
      const dvm = Buffer.from(traffic.dvmA.pubkey, 'hex');
      const both = async (sql: string, params: unknown[] = []) => {
        kit.store.db.run(sql, params as Uint8Array[]);
        let mark = 0;
        await pool.query(sql.replace(/\?/g, () => `$${++mark}`), params);
      };
      await both('DELETE FROM nostr_job_dvms WHERE dvm = ?', [dvm]);
      await both('DELETE FROM nostr_rollups WHERE dvm = ?', [dvm]);
      await sameFigures('deleting one DVM\'s pairs and rollups');
      assert.ok(count('SELECT 1 FROM nostr_rollup_totals') > 0);
      await both('DELETE FROM nostr_rollups');
      await both('DELETE FROM nostr_latency_rollups');
      await sameFigures('deleting every rollup');
      assert.equal(count('SELECT 1 FROM nostr_rollup_totals'), 0, 'emptied buckets are dropped');
    } finally {
      await kit.close();
      await pool.end();
    }
  });
});

interface TimedStamp {
  readonly timed: string;
  readonly stamp: string;
}

/** A bucket not yet in nostr_rollup_totals: no answers timed, and the column's default stamp. */
const UNTIMED: TimedStamp = { timed: '0', stamp: '0' };

/** `period/bucket` → its timed figure and timed_stamp, on each store. */
async function timedStamps(kit: CoreKit, pool: pg.Pool): Promise<Record<'sqlite' | 'postgres', Map<string, TimedStamp>>> {
  const sql = 'SELECT period, bucket, timed, timed_stamp FROM nostr_rollup_totals';
  const byBucket = (rows: unknown[][]) => new Map(rows.map(([period, bucket, timed, stamp]) => [`${period}/${bucket}`, { timed: String(timed), stamp: String(stamp) }]));
  return {
    sqlite: byBucket(kit.store.db.exec(sql)[0]?.values ?? []),
    postgres: byBucket((await pool.query({ text: sql, rowMode: 'array' })).rows as unknown[][]),
  };
}

function sortKeys(shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => a.localeCompare(b)));
}
