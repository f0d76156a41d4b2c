import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { pgEngineStateMigrations } from '../../src/core/store/postgres/pgEngineStateMigrations';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { NOSTR_WRITE_LOCK } from '../../src/core/store/postgres/pgTransaction';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrRetention } from '../../src/core/store/postgres/pgNostrRetention';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { DEFAULT_EXCLUDED, fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic } from '../fixtures/nostr/pageTraffic';
import { eventually } from '../support/eventually';
import { differingTables, postgresRows, RAW_COLUMNS, sqliteRows } from '../support/nostrTableParity';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/** A day of raw events and two of history: the three days of page traffic straddle both cutoffs. */
const WINDOWS = { rawWindowHours: 24, historyDays: 2 };
/** Every table retention may cut, beside those the rules write (compared by the shared list). */
const RETENTION_TABLES = ['nostr_seen'];
/** The all-time tables: retention never touches them (DESIGN.md "Data kept"). */
const ALL_TIME = ['nostr_counters', 'nostr_dvms', 'nostr_kinds', 'nostr_users', 'nostr_kind_users', 'nostr_kind_dvms'];
const RAW = `SELECT ${RAW_COLUMNS} FROM nostr_events`;

interface Stores {
  readonly kit: CoreKit;
  readonly pool: pg.Pool;
  readonly ingestor: PgNostrIngestor;
  readonly retention: PgNostrRetention;
  /** DVM A of the page traffic, pinned on both stores. */
  readonly pinned: string;
  readonly events: NostrEvent[];
}

/** A size measure both stores compute alike, so that eviction takes the same chunks on both. */
const MEASURE = 'SELECT (SELECT count(*) FROM nostr_events) * 1000 + (SELECT count(*) FROM nostr_jobs) * 300';

describe('PostgreSQL Nostr retention', () => {
  let server: PostgresServer;
  const open: Stores[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const { kit, pool } of open) {
      await kit.close();
      await pool.end();
    }
    await server?.stop();
  });

  /**
   * The DVMDash events and three days of page traffic, in relay-sized batches, into sql.js and PostgreSQL.
   * `batchRows`: retention's largest batch (small: every rule crosses batch boundaries on this traffic).
   */
  async function loadedStores(batchRows?: number): Promise<Stores> {
    const url = await createDatabase(server);
    const pool = await openPgPool(url);
    await runPgMigrations(pool, [...pgEngineStateMigrations, ...pgNostrMigrations], url);
    const kit = await openCore();
    const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
    const traffic = pageTraffic();
    const events = [...fixtureEvents(), ...traffic.events];
    const stores = { kit, pool, ingestor, retention: new PgNostrRetention(pool, { maxBatchRows: batchRows }), pinned: traffic.dvmA.pubkey, events };
    open.push(stores);
    for (let i = 0; i < events.length; i += 37) {
      const batch = events.slice(i, i + 37);
      await kit.core.ingest('wss://relay.example', batch);
      await ingestor.ingest('wss://relay.example', batch);
    }
    // A key that is not hex must neither fail PostgreSQL's decode() nor void the pins (sql.js's unhex gives NULL).
    for (const key of [traffic.dvmA.pubkey, 'not-hex']) {
      kit.pins.add('dvm', key);
      await pool.query("INSERT INTO pins (domain, key, created_at) VALUES ('dvm', $1, 0)", [key]);
    }
    return stores;
  }

  async function assertSameTables({ kit, pool }: Stores): Promise<void> {
    assert.deepEqual(await postgresRows(pool, RAW), sqliteRows(kit, RAW));
    assert.deepEqual(await differingTables(kit, pool), []);
    assert.deepEqual(await differingTables(kit, pool, RETENTION_TABLES), []);
    const relays = 'SELECT count(*) FROM nostr_event_relays';
    assert.deepEqual(await postgresRows(pool, relays), sqliteRows(kit, relays));
  }

  it('maintain removes the same rows as sql.js, reports the same counts and keeps the pinned DVM', async () => {
    const stores = await loadedStores(7);
    const { kit, pool, retention, pinned } = stores;
    const allTime = await Promise.all(ALL_TIME.map((table) => postgresRows(pool, `SELECT * FROM ${table}`)));
    // The pinned DVM's rows past each window; `bytes` is how each dialect writes the pubkey.
    const pinnedRaw = (bytes: string) => `SELECT count(*) FROM nostr_events WHERE created_at < ${PAGE_NOW - 86_400} AND pubkey = ${bytes}`;
    const pinnedPairs = (bytes: string) => `SELECT count(*) FROM nostr_job_dvms WHERE first_at < ${PAGE_NOW - 2 * 86_400} AND dvm = ${bytes}`;
    const [inSqlite, inPostgres] = [`unhex('${pinned}')`, `decode('${pinned}', 'hex')`];
    const before = { raw: sqliteRows(kit, pinnedRaw(inSqlite)), pairs: sqliteRows(kit, pinnedPairs(inSqlite)) };

    const expected = kit.core.maintain(PAGE_NOW, WINDOWS);
    const report = await retention.maintain(PAGE_NOW, WINDOWS);

    assert.deepEqual(report, expected);
    // In many short transactions, not one.
    assert.ok(retention.lastRun.batches > expected.rawEvents / 7, JSON.stringify(retention.lastRun));
    // Every tier had something to remove: the comparison below is not of two untouched stores.
    assert.ok(expected.rawEvents > 50 && expected.jobs > 10 && expected.rollups > 10, JSON.stringify(expected));
    await assertSameTables(stores);
    // DVM A's rows past both windows are still there, on both stores.
    assert.ok(Number(before.raw[0]) > 0 && Number(before.pairs[0]) > 0);
    assert.deepEqual(await postgresRows(pool, pinnedRaw(inPostgres)), before.raw);
    assert.deepEqual(await postgresRows(pool, pinnedPairs(inPostgres)), before.pairs);
    assert.deepEqual(sqliteRows(kit, pinnedRaw(inSqlite)), before.raw);
    assert.deepEqual(sqliteRows(kit, pinnedPairs(inSqlite)), before.pairs);
    // The all-time tables are as the ingest left them.
    assert.deepEqual(await Promise.all(ALL_TIME.map((table) => postgresRows(pool, `SELECT * FROM ${table}`))), allTime);
    // A second pass finds nothing more, on both.
    assert.deepEqual(await retention.maintain(PAGE_NOW, WINDOWS), kit.core.maintain(PAGE_NOW, WINDOWS));
  });

  it('after trimRaw a re-ingest counts duplicates, not new events, on both stores', async () => {
    const stores = await loadedStores(7);
    const { kit, ingestor, retention, events } = stores;
    const cutoff = PAGE_NOW + 1;
    const expected = kit.core.trimRaw(cutoff);
    assert.equal(await retention.trimRaw(cutoff), expected);
    assert.ok(expected > 100);
    await assertSameTables(stores);

    const sqlite = await kit.core.ingest('wss://other.example', events);
    const postgres = await ingestor.ingest('wss://other.example', events);
    assert.equal(sqlite.accepted, 0);
    assert.equal(postgres.accepted, 0);
    assert.equal(postgres.duplicates, sqlite.duplicates);
    assert.ok(sqlite.duplicates > expected);
    await assertSameTables(stores);
  });

  it('evictOldest frees space as sql.js does, raw events first then jobs, and reports the rows removed', async () => {
    const stores = await loadedStores(7);
    const { kit, pool, retention } = stores;
    const sqliteUsed = () => Number(sqliteRows(kit, MEASURE)[0]);
    const postgresUsed = async () => Number((await postgresRows(pool, MEASURE))[0]);
    assert.equal(await postgresUsed(), sqliteUsed());
    const used = sqliteUsed();
    const count = async (sql: string) => Number((await postgresRows(pool, sql))[0]);
    const rawRows = 'SELECT count(*) FROM nostr_events';
    const jobRows = 'SELECT count(*) FROM nostr_jobs';
    const pinnedRaw = `SELECT count(*) FROM nostr_events WHERE pubkey = decode('${stores.pinned}', 'hex')`;
    const before = { raw: await count(rawRows), jobs: await count(jobRows), pinnedRaw: await count(pinnedRaw) };
    // About 105 raw events are neither the pinned DVM's nor of its jobs: more than they hold, so that jobs go too.
    const bytes = 110_000;

    const expected = kit.core.evictOldest(bytes, sqliteUsed);
    const removed = await retention.evictOldest(bytes, postgresUsed);

    assert.equal(removed, expected);
    assert.ok(used - (await postgresUsed()) >= bytes);
    await assertSameTables(stores);
    const after = { raw: await count(rawRows), jobs: await count(jobRows), pinnedRaw: await count(pinnedRaw) };
    assert.ok(after.raw < before.raw && after.jobs < before.jobs, JSON.stringify({ before, after }));
    assert.equal(removed, before.raw - after.raw + before.jobs - after.jobs);
    assert.ok(before.pinnedRaw > 0);
    assert.equal(after.pinnedRaw, before.pinnedRaw);
  });

  it('evictOldest without a measure counts the bytes it frees and stops once they are freed', async () => {
    const { pool, retention } = await loadedStores();
    const count = async () => Number((await postgresRows(pool, 'SELECT count(*) FROM nostr_events'))[0]);
    const before = await count();
    const removed = await retention.evictOldest(20_000);
    // 20 kB is a few dozen raw rows: one chunk of the smallest size, not every unpinned row.
    assert.ok(removed > 0 && removed <= 60, `${removed} of ${before}`);
    assert.equal(await count(), before - removed);
  });

  it('waits for a write holding the ingest lock before it removes anything', async () => {
    const { pool, retention } = await loadedStores();
    const writer = await pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT pg_advisory_xact_lock($1, $2)', [...NOSTR_WRITE_LOCK]);
      const rawBefore = await postgresRows(pool, 'SELECT count(*) FROM nostr_events');
      const run = retention.maintain(PAGE_NOW, WINDOWS);
      await eventually('retention waiting on the advisory lock', async () =>
        Number((await postgresRows(pool, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0]) === 1);
      assert.deepEqual(await postgresRows(pool, 'SELECT count(*) FROM nostr_events'), rawBefore);
      await writer.query('COMMIT');
      assert.ok((await run).rawEvents > 0);
    } finally {
      writer.release();
    }
  });
});
