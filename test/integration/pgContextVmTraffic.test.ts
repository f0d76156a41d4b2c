import assert from 'node:assert/strict';
import { PgNostrRetention } from '../../src/core/store/postgres/pgNostrRetention';
import { createPgPostedJobStore } from '../../src/core/store/postgres/pgPostedJobs';
import { createPgHistoryBackfillStore } from '../../src/core/store/postgres/pgHistoryBackfill';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import type { IngestOutcome } from '../../src/core/nostr/nostrIngest';
import type { NostrStore } from '../../src/core/nostr/nostrStore';
import { withoutCountingStart } from '../support/nostrTableParity';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { createPgNostrStore } from '../../src/core/store/postgres/pgNostrStore';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { contextVmTraffic, CONTEXTVM_T } from '../fixtures/nostr/contextVmTraffic';
import { Actor, DEFAULT_EXCLUDED, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/**
 * Issue 14: ContextVM / DVMCP messages (25910 / 26910) are ephemeral, so no store keeps them; each process counts
 * what it ingested. The same signed announcements and messages go into a sql.js store and into a PostgreSQL store,
 * and the MCP servers they list must be equal, request and response counts included, as must what each batch says
 * changed (an announced server's traffic redraws the DVMs tree, a made-up addressee's does not).
 */

const T = CONTEXTVM_T;
const NOW = T + 1_000;
const RELAY_A = 'wss://relay-a.example';
const RELAY_B = 'wss://relay-b.example';
const json = (value: unknown) => JSON.stringify(value);

/** The shared ContextVM traffic, and messages counted nowhere: to a server that never announced, and to no server. */
function traffic() {
  const t = contextVmTraffic();
  const stranger = new Actor();
  const messages = [
    ...t.messages,
    t.client.sign(25910, [['p', stranger.pubkey]], json({ method: 'tools/list' }), T + 130), // a server that never announced
    t.client.sign(25910, [], json({ method: 'tools/list' }), T + 131), // names no server: accepted, counted nowhere
  ];
  return { ...t, stranger, messages };
}

/** What both stores are given, batch by batch: servers, their traffic, and copies of it from a second relay. */
function batches(t: ReturnType<typeof traffic>): [string, NostrEvent[]][] {
  return [[RELAY_A, t.announcements], [RELAY_A, t.messages], [RELAY_B, [...t.messages.slice(0, 4), t.messages[0]]]];
}

/** The parts of an ingest's answer the two stores must agree on. */
function said(outcome: IngestOutcome) {
  return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected, dvms: [...outcome.changes.dvms].sort() };
}

/** The parts a PostgreSQL store is given for retention, My jobs and the history backfill: the real ones. */
const storeParts = (pool: pg.Pool) => ({
  retention: new PgNostrRetention(pool), postedJobs: createPgPostedJobStore(pool), historyBackfill: createPgHistoryBackfillStore(pool),
});

describe('ContextVM live traffic on PostgreSQL', () => {
  let server: PostgresServer;
  let sqlite: CoreKit;
  const pools: pg.Pool[] = [];
  before(async () => {
    server = await startPostgres();
    sqlite = await openCore();
  });
  after(async () => {
    await sqlite?.close();
    for (const pool of pools) await pool.end();
    await server?.stop();
  });

  async function pgStore(url?: string): Promise<{ url: string; store: NostrStore }> {
    const at = url ?? await createDatabase(server);
    const pool = await openPgPool(at);
    pools.push(pool);
    if (!url) await runPgMigrations(pool, pgNostrMigrations, at);
    return { url: at, store: createPgNostrStore({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined, pinnedDvms: () => new Set(), ...storeParts(pool) }) };
  }

  it('lists the same servers with the same request and response counts as sql.js', async () => {
    const t = traffic();
    const { store } = await pgStore();
    for (const [relay, events] of batches(t)) {
      const expected = said(await sqlite.core.ingest(relay, events));
      assert.deepEqual(said(await store.events.ingest(relay, events)), expected, `batch from ${relay}`);
    }
    const expected = withoutCountingStart(sqlite.core.contextVmServers(NOW));
    const actual = withoutCountingStart(await store.pages.contextVmServers(NOW));
    assert.deepEqual(actual, expected);
    // The comparison holds figures, not two sets of zeros: 3 requests and 2 answers for the search server.
    assert.deepEqual(actual.map((s) => [s.pubkey, s.traffic.requests, s.traffic.responses]),
      [[t.provider.pubkey, 1, 1], [t.cvm.pubkey, 3, 2]]);
    assert.equal(actual.find((s) => s.pubkey === t.cvm.pubkey)?.lastSeen, T + 111, 'last seen is its newest message, not its announcement');
  });

  it("redraws for traffic to a server another collector announced, and keeps each process's counts its own", async () => {
    const t = traffic();
    const first = await pgStore();
    const second = await pgStore(first.url);
    await first.store.events.ingest(RELAY_A, t.announcements);
    const outcome = await second.store.events.ingest(RELAY_A, t.messages);
    assert.deepEqual(said(outcome).dvms, [t.cvm.pubkey, t.provider.pubkey].sort(), 'announced servers redraw; the stranger does not');
    const counts = async (store: NostrStore) => (await store.pages.contextVmServers(NOW)).map((s) => [s.pubkey, s.traffic.requests, s.traffic.responses]);
    assert.deepEqual(await counts(second.store), [[t.provider.pubkey, 1, 1], [t.cvm.pubkey, 3, 2]]);
    assert.deepEqual(await counts(first.store), [[t.provider.pubkey, 0, 0], [t.cvm.pubkey, 0, 0]], 'live only, per process: relays keep none of it');
  });
});
