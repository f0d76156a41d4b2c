import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor, DEFAULT_EXCLUDED, fixtureEvents, openCore, tampered } from '../fixtures/nostr/eventBuilders';
import { pageTraffic } from '../fixtures/nostr/pageTraffic';
import { differingTables, postgresRows, RAW_COLUMNS, sqliteRows } from '../support/nostrTableParity';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/**
 * Real signed traffic: the 80 DVMDash events, three days of page traffic (zaps, early answers, deletions, profiles)
 * and ContextVM / DVMCP server announcements (a stale copy after the newer one).
 */
function traffic(): NostrEvent[] {
  const cvm = new Actor();
  const provider = new Actor();
  const at = 1_760_000_000;
  const servers = [
    cvm.sign(11316, [['name', 'Search'], ['about', 'finds things'], ['support_encryption']], JSON.stringify({ serverInfo: { name: 'search' } }), at),
    cvm.sign(11317, [], JSON.stringify({ tools: [{ name: 'search' }, { name: 'fetch_page' }] }), at + 10),
    cvm.sign(11317, [], JSON.stringify({ tools: [{ name: 'old_tool' }] }), at + 5),
    provider.sign(31316, [['d', 'weather'], ['k', '25910']], JSON.stringify({ name: 'Weather' }), at + 20),
    provider.sign(31317, [['d', 'weather/tools/list'], ['s', 'weather'], ['cap', 'get_weather']], 'not json', at + 30),
  ];
  return [...fixtureEvents(), ...pageTraffic().events, ...servers];
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

describe('PostgreSQL Nostr ingest', () => {
  let server: PostgresServer;
  const pools: pg.Pool[] = [];
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    for (const pool of pools) await pool.end();
    await server?.stop();
  });

  async function freshStore(): Promise<{ url: string; pool: pg.Pool; ingestor: PgNostrIngestor; dropped: Record<string, number> }> {
    const url = await createDatabase(server);
    const pool = await openPgPool(url);
    pools.push(pool);
    await runPgMigrations(pool, pgNostrMigrations, url);
    const dropped: Record<string, number> = {};
    const ingestor = new PgNostrIngestor({
      pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: (reason, count) => {
        dropped[reason] = (dropped[reason] ?? 0) + count;
      },
    });
    return { url, pool, ingestor, dropped };
  }

  it('stores the same jobs, pairs, zaps, profiles, rollups and page stats as sql.js for the same events', async () => {
    const events = traffic();
    const kit = await openCore();
    const { pool, ingestor } = await freshStore();
    try {
      // Batches of 37: answers, zaps and deletions land in other batches than what they name, as from a relay.
      const sqlite = { accepted: 0, duplicates: 0 };
      const postgres = { accepted: 0, duplicates: 0 };
      for (const batch of batches(events, 37)) {
        const a = await kit.core.ingest('wss://relay.example', batch);
        const b = await ingestor.ingest('wss://relay.example', batch);
        sqlite.accepted += a.accepted;
        sqlite.duplicates += a.duplicates;
        postgres.accepted += b.accepted;
        postgres.duplicates += b.duplicates;
        assert.deepEqual(b.rejected, a.rejected);
        assert.deepEqual([...b.changes.jobs].sort(), [...a.changes.jobs].sort());
        assert.deepEqual([...b.changes.dvms].sort(), [...a.changes.dvms].sort());
      }
      assert.deepEqual(postgres, sqlite);
      assert.ok(sqlite.accepted > 150);
      const raw = `SELECT ${RAW_COLUMNS} FROM nostr_events`;
      assert.deepEqual(await postgresRows(pool, raw), sqliteRows(kit, raw));
      assert.deepEqual(await differingTables(kit, pool), []);
      // The comparison saw every path: pairs, linked zaps, cancellations, profiles.
      assert.ok(sqliteRows(kit, 'SELECT 1 FROM nostr_zaps WHERE request_id IS NOT NULL').length > 0);
      assert.ok(sqliteRows(kit, 'SELECT 1 FROM nostr_jobs WHERE cancelled_at IS NOT NULL').length > 0);
      assert.ok(sqliteRows(kit, 'SELECT 1 FROM nostr_job_dvms').length > 20);
      assert.equal(sqliteRows(kit, 'SELECT 1 FROM nostr_contextvm_parts').length, 4);
    } finally {
      await kit.close();
    }
  });

  it('two collectors writing the same relay traffic at once into one store lose nothing and count nothing twice', async () => {
    const events = traffic();
    const kit = await openCore();
    const { url, pool, ingestor } = await freshStore();
    const second = await openPgPool(url);
    pools.push(second);
    const other = new PgNostrIngestor({ pool: second, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
    try {
      await kit.core.ingest('wss://a.example', events);
      // Each collector hears the traffic in its own batches and order, from its own relay.
      await Promise.all([
        (async () => { for (const batch of batches(events, 23)) await ingestor.ingest('wss://a.example', batch); })(),
        (async () => { for (const batch of batches([...events].reverse(), 41)) await other.ingest('wss://b.example', batch); })(),
      ]);
      const figures = [
        'SELECT count(*) FROM nostr_events', 'SELECT count(*) FROM nostr_jobs', 'SELECT count(*) FROM nostr_job_dvms', 'SELECT count(*) FROM nostr_zaps',
        'SELECT name, value FROM nostr_counters', 'SELECT pubkey, jobs, results, feedback, successes, errors, sats_requested, sats_earned, sats_proven FROM nostr_dvms',
        'SELECT count(*) FROM nostr_users', `SELECT period, ${['requests', 'results', 'feedback', 'answered', 'successes', 'errors', 'sats_requested', 'sats_earned', 'sats_proven']
          .map((column) => `sum(${column})`).join(', ')} FROM nostr_rollups GROUP BY period`,
        'SELECT period, sum(count) FROM nostr_latency_rollups GROUP BY period',
      ];
      for (const sql of figures) assert.deepEqual(await postgresRows(pool, sql), sqliteRows(kit, sql), sql);
      // Both relays carried every event: the second copy is recorded as another relay, not another event.
      const relays = await postgresRows(pool, 'SELECT count(*) FROM nostr_event_relays');
      assert.deepEqual(relays, [String(sqliteRows(kit, 'SELECT count(*) FROM nostr_events')[0])]);
    } finally {
      await kit.close();
    }
  });

  it('calls made before the last one is stored are checked one after another in call order, so their writes are queued in that order', async () => {
    const events = traffic();
    const kit = await openCore();
    const { pool, ingestor } = await freshStore();
    try {
      // A big batch, then small ones, all in flight at once: the checks take one call after the other in call order,
      // so each call's writes are queued behind the previous call's. This pins that check order; the write queue on
      // its own is not pinned here (the ingest advisory lock's FIFO would keep this order without it).
      const handed = [events.slice(0, 150), ...batches(events.slice(150), 7)];
      for (const batch of handed) await kit.core.ingest('wss://relay.example', batch);
      const outcomes = await Promise.all(handed.map((batch) => ingestor.ingest('wss://relay.example', batch)));
      const inSqlJs = kit.store.db.exec('SELECT hex(id) FROM nostr_events ORDER BY seq')[0].values.map(([id]) => String(id).toLowerCase());
      assert.equal(outcomes.reduce((sum, outcome) => sum + outcome.accepted, 0), inSqlJs.length);
      // Storage order is arrival order: the raw rows' sequence follows the batches.
      const inPostgres = (await pool.query<{ id: string }>("SELECT encode(id, 'hex') AS id FROM nostr_events ORDER BY seq")).rows.map(({ id }) => id);
      assert.deepEqual(inPostgres, inSqlJs);
      assert.deepEqual(await differingTables(kit, pool), []);
    } finally {
      await kit.close();
    }
  });

  it('counts a forged event and drops it, and stores the genuine one', async () => {
    const { pool, ingestor, dropped } = await freshStore();
    const genuine = fixtureEvents()[0];
    const forged = tampered(genuine, { id: genuine.id.replace(/^./, (c) => (c === '0' ? '1' : '0')) });
    const forgedContent = tampered(fixtureEvents()[1], { content: 'changed after signing' });
    const outcome = await ingestor.ingest(undefined, [forged, forgedContent, genuine]);
    assert.equal(outcome.accepted, 1);
    assert.deepEqual(outcome.rejected, { 'bad-id': 2 });
    assert.deepEqual(dropped, { 'bad-id': 2 });
    assert.deepEqual(await postgresRows(pool, "SELECT encode(id, 'hex') FROM nostr_events"), [genuine.id]);
  });
});
