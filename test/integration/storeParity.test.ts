import assert from 'node:assert/strict';
import { PgNostrRetention } from '../../src/core/store/postgres/pgNostrRetention';
import { createPgPostedJobStore } from '../../src/core/store/postgres/pgPostedJobs';
import { createPgHistoryBackfillStore } from '../../src/core/store/postgres/pgHistoryBackfill';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { pgNostrIndexMigrations } from '../../src/core/store/postgres/pgNostrIndexMigrations';
import { PgMetricsRepo } from '../../src/core/store/postgres/pgMetricsRepo';
import { PgPageRepo } from '../../src/core/store/postgres/pgPageRepo';
import { PgEventReads } from '../../src/core/store/postgres/pgEventReads';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { createPgNostrStore } from '../../src/core/store/postgres/pgNostrStore';
import { PgRelayCursors } from '../../src/core/store/postgres/pgRelayCursors';
import { RelayCursorRepo } from '../../src/core/store/sqlite/nostr/sqliteRelayCursorRepo';
import { PreparedStatements } from '../../src/core/store/sqlite/nostr/preparedStatements';
import type { NostrStore } from '../../src/core/nostr/nostrStore';
import { withoutCountingStart } from '../support/nostrTableParity';
import { DEFAULT_LIVENESS } from '../../src/core/nostr/liveness';
import { livenessChangedBetween } from '../../src/core/store/sqlite/nostr/sqliteLivenessChangesQuery';
import type { RetentionWindows } from '../../src/core/nostr/retention';
import { Actor, DEFAULT_EXCLUDED, fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import type { NostrEvent } from '../../src/core/nostr/eventTypes';
import { PAGE_NOW, pageTraffic, type PageTraffic } from '../fixtures/nostr/pageTraffic';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { copySqliteToPg } from '../support/sqliteToPgCopy';

/**
 * The held-out figures on both stores (issue 14): the same real signed events (DVMDash's 80 and the page traffic:
 * profiles, invoices, zaps, errors, waiting and cancelled requests, a heartbeat) ingested into a sql.js store and
 * into a PostgreSQL store on a private loopback server, and every read the PostgreSQL adapter implements asked of both
 * at one fixed `now`: the answers must be deep-equal. The PostgreSQL store is filled twice: by its own ingest (the
 * whole adapter against sql.js), and with the sql.js store's tables copied (the reads alone, over the very same rows).
 */

const RETENTION: RetentionWindows = { rawWindowHours: 48, historyDays: 90 };
const NOW = PAGE_NOW;

interface Stores {
  readonly sqlite: CoreKit;
  readonly metrics: PgMetricsRepo;
  readonly pages: PgPageRepo;
  readonly events: PgEventReads;
  /** The whole PostgreSQL NostrStore, for the reads only it answers (announcements, the picker, ContextVM). */
  readonly store: NostrStore;
  readonly traffic: PageTraffic;
}

/** A read asked of both stores: `sqlite` answers from NostrCore, `pg` from the PostgreSQL repos. */
interface ParityCase {
  readonly name: string;
  readonly sqlite: (stores: Stores) => unknown;
  readonly pg: (stores: Stores) => Promise<unknown>;
}

const dvm = (stores: Stores, which: 'dvmA' | 'dvmB' | 'dvmC') => stores.traffic[which].pubkey;
const customer = (stores: Stores) => stores.traffic.customers[0].pubkey;
/** A job of the page traffic and a DVMDash result, to trace from a request and from an answer. */
const requestOf = (stores: Stores) => stores.traffic.events.find((event) => event.kind === 5050)!.id;
const answerOf = (stores: Stores) => stores.traffic.events.find((event) => event.kind === 7000)!.id;
const fixtureResult = () => fixtureEvents().find((event) => event.kind >= 6000 && event.kind <= 6999)!.id;

const CASES: readonly ParityCase[] = [
  { name: 'dashboard metrics', sqlite: (s) => s.sqlite.core.metrics(NOW), pg: (s) => s.metrics.metrics(NOW) },
  { name: 'dashboard metrics a day later (windows past the traffic)', sqlite: (s) => s.sqlite.core.metrics(NOW + 86_400), pg: (s) => s.metrics.metrics(NOW + 86_400) },
  ...(['dvmA', 'dvmB', 'dvmC'] as const).map((which): ParityCase => ({
    name: `DVM page of ${which}`,
    sqlite: (s) => s.sqlite.core.pages.dvm(dvm(s, which), { now: NOW, retention: RETENTION }),
    pg: (s) => s.pages.dvmPage(dvm(s, which), { now: NOW, retention: RETENTION }),
  })),
  {
    name: 'DVM page in hourly buckets over 7 days',
    sqlite: (s) => s.sqlite.core.pages.dvm(dvm(s, 'dvmA'), { now: NOW, retention: RETENTION, window: '7d', bucket: '1h' }),
    pg: (s) => s.pages.dvmPage(dvm(s, 'dvmA'), { now: NOW, retention: RETENTION, window: '7d', bucket: '1h' }),
  },
  { name: 'DVMs list', sqlite: (s) => s.sqlite.core.dvms(undefined, undefined, NOW), pg: (s) => s.pages.dvms(undefined, undefined, NOW) },
  { name: 'DVMs list, second page of one', sqlite: (s) => s.sqlite.core.dvms(1, 1, NOW), pg: (s) => s.pages.dvms(1, 1, NOW) },
  { name: 'one DVM with its recent jobs', sqlite: (s) => s.sqlite.core.dvm(dvm(s, 'dvmA'), NOW), pg: (s) => s.pages.dvm(dvm(s, 'dvmA'), NOW) },
  { name: 'kinds list', sqlite: (s) => s.sqlite.core.kinds(), pg: (s) => s.pages.kinds() },
  { name: 'one kind with its DVMs', sqlite: (s) => s.sqlite.core.kind(5050, NOW), pg: (s) => s.pages.kind(5050, NOW) },
  ...[5050, 6100, 5300, 5987].map((kind): ParityCase => ({
    name: `kind page ${kind}`,
    sqlite: (s) => s.sqlite.core.pages.kind(kind, { now: NOW, retention: RETENTION }),
    pg: (s) => s.pages.kindPage(kind, { now: NOW, retention: RETENTION }),
  })),
  { name: 'user page', sqlite: (s) => s.sqlite.core.pages.user(customer(s)), pg: (s) => s.pages.userPage(customer(s)) },
  { name: 'newest jobs per kind', sqlite: (s) => s.sqlite.core.pages.recentByKind(), pg: (s) => s.pages.recentByKind() },
  {
    name: 'activity over all traffic, hourly',
    sqlite: (s) => s.sqlite.core.pages.activity({ window: '7d', bucket: '1h', now: NOW, retention: RETENTION }),
    pg: (s) => s.metrics.activity({ window: '7d', bucket: '1h', now: NOW, retention: RETENTION }),
  },
  {
    name: 'activity of one kind, 5-minute buckets',
    sqlite: (s) => s.sqlite.core.pages.activity({ window: '24h', bucket: '5m', now: NOW, kind: 6050, retention: RETENTION }),
    pg: (s) => s.metrics.activity({ window: '24h', bucket: '5m', now: NOW, kind: 6050, retention: RETENTION }),
  },
  { name: 'series by day', sqlite: (s) => s.sqlite.core.series({ bucket: 'day' }), pg: (s) => s.metrics.series({ bucket: 'day' }) },
  {
    name: 'series of one DVM by hour',
    sqlite: (s) => s.sqlite.core.series({ bucket: 'hour', dvm: dvm(s, 'dvmA'), since: NOW - 2 * 86_400 }),
    pg: (s) => s.metrics.series({ bucket: 'hour', dvm: dvm(s, 'dvmA'), since: NOW - 2 * 86_400 }),
  },
  ...(['dvmA', 'dvmB', 'dvmC'] as const).map((which): ParityCase => ({
    name: `liveness of ${which}`,
    sqlite: (s) => s.sqlite.core.liveness(dvm(s, which), NOW),
    pg: (s) => s.pages.liveness(dvm(s, which), NOW),
  })),
  {
    name: 'liveness changed by time alone (as a set)',
    sqlite: (s) => livenessChangedBetween(s.sqlite.sql, NOW - 86_400, NOW + 86_400, DEFAULT_LIVENESS).sort(),
    pg: async (s) => (await s.pages.livenessChangedBetween(NOW - 86_400, NOW + 86_400)).sort(),
  },
  { name: 'median response times', sqlite: (s) => s.sqlite.core.dvmMedians([dvm(s, 'dvmA'), dvm(s, 'dvmB'), 'zz']), pg: (s) => s.pages.dvmMedians([dvm(s, 'dvmA'), dvm(s, 'dvmB'), 'zz']) },
  { name: 'event by id', sqlite: (s) => s.sqlite.core.event(answerOf(s)), pg: (s) => s.events.event(answerOf(s)) },
  { name: 'trace from a request', sqlite: (s) => s.sqlite.core.trace(requestOf(s)), pg: (s) => s.events.trace(requestOf(s)) },
  { name: 'trace from a feedback', sqlite: (s) => s.sqlite.core.trace(answerOf(s)), pg: (s) => s.events.trace(answerOf(s)) },
  { name: 'trace graph from a request', sqlite: (s) => s.sqlite.core.traceGraph(requestOf(s)), pg: (s) => s.events.traceGraph(requestOf(s)) },
  { name: 'trace graph from a DVMDash result', sqlite: (s) => s.sqlite.core.traceGraph(fixtureResult()), pg: (s) => s.events.traceGraph(fixtureResult()) },
  { name: 'recent jobs', sqlite: (s) => s.sqlite.core.recentJobs(), pg: (s) => s.events.recentJobs() },
  ...(['dvmA', 'dvmB', 'dvmC'] as const).map((which): ParityCase => ({
    name: `announcement of ${which} for posting to it`,
    sqlite: (s) => s.sqlite.core.dvmAnnouncement(dvm(s, which)),
    pg: (s) => s.store.pages.dvmAnnouncement(dvm(s, which)),
  })),
  { name: "the playground's target picker", sqlite: (s) => s.sqlite.core.dvmChoices(undefined, NOW), pg: (s) => s.store.pages.dvmChoices(undefined, NOW) },
  {
    // Live traffic is counted by each store from when it opened (`since`): the stored servers are what must agree.
    name: 'ContextVM servers',
    sqlite: (s) => withoutCountingStart(s.sqlite.core.contextVmServers(NOW)),
    pg: async (s) => withoutCountingStart(await s.store.pages.contextVmServers(NOW)),
  },
  { name: 'known people', sqlite: (s) => sortedPeople(s.sqlite.core.knownPeople()), pg: async (s) => sortedPeople(await s.events.knownPeople()) },
];

function sortedPeople(people: { dvms: string[]; users: string[] }) {
  return { dvms: [...people.dvms].sort(), users: [...people.users].sort() };
}

/** How the PostgreSQL store is filled: its own ingest of the same events, or the sql.js store's tables copied. */
const FILLS: readonly { readonly name: string; fill(sqlite: CoreKit, pool: pg.Pool, traffic: PageTraffic): Promise<void> }[] = [
  {
    name: 'ingested by the PostgreSQL ingest',
    fill: async (_sqlite, pool, traffic) => {
      const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
      for (const [relay, events] of batches(traffic)) await ingestor.ingest(relay, events);
    },
  },
  {
    name: 'copied from the sql.js tables',
    fill: async (sqlite, pool) => {
      const copied = await copySqliteToPg(sqlite.store.db, pool);
      assert.ok((copied.nostr_jobs ?? 0) > 40 && (copied.nostr_events ?? 0) > 100, `copied ${JSON.stringify(copied)}`);
    },
  },
];

/** ContextVM and DVMCP server announcements (their ephemeral traffic is counted in memory by each store, not stored). */
const CONTEXTVM = ((): NostrEvent[] => {
  const [cvm, provider] = [new Actor(), new Actor()];
  const at = PAGE_NOW - 3600;
  return [
    cvm.sign(11316, [['name', 'Search Server'], ['about', 'finds things'], ['support_encryption']],
      JSON.stringify({ protocolVersion: '2025-07-02', capabilities: { tools: {} }, serverInfo: { name: 'search-server', version: '1.0.0' } }), at),
    cvm.sign(11317, [], JSON.stringify({ tools: [{ name: 'search', inputSchema: {} }, { name: 'fetch_page', inputSchema: {} }] }), at + 10),
    provider.sign(31316, [['d', 'weather'], ['k', '25910']], JSON.stringify({ protocolVersion: '2025-03-26', serverInfo: { name: 'Weather DVMCP', version: '0.1' } }), at + 20),
    provider.sign(31317, [['d', 'weather/tools/list'], ['s', 'weather'], ['cap', 'get_weather', '100', 'sats']], 'not json', at + 30),
  ];
})();

/** What both stores are given, batch by batch: DVMDash's events, the page traffic, part of it again from a second relay, ContextVM servers. */
function batches(traffic: PageTraffic): [string | undefined, unknown[]][] {
  return [[undefined, fixtureEvents()], ['wss://relay.parity.example', traffic.events], ['wss://relay.copy.example', traffic.events.slice(0, 30)],
    ['wss://relay.cvm.example', CONTEXTVM]];
}

let server: PostgresServer;
let sqlite: CoreKit;
let traffic: PageTraffic;
before(async () => {
  server = await startPostgres();
  traffic = pageTraffic();
  sqlite = await openCore();
  for (const [relay, events] of batches(traffic)) await sqlite.core.ingest(relay, events);
  sqlite.pins.add('dvm', traffic.dvmB.pubkey);
});
after(async () => {
  await sqlite?.close();
  await server?.stop();
});

for (const { name, fill } of FILLS) {
  describe(`PostgreSQL reads equal the sql.js reads over the same events, ${name}`, () => {
    let pool: pg.Pool;
    let stores: Stores;

    before(async () => {
      const url = await createDatabase(server);
      pool = await openPgPool(url);
      await runPgMigrations(pool, [...pgNostrMigrations, ...pgNostrIndexMigrations], url);
      await fill(sqlite, pool, traffic);
      const pinned = new Set([traffic.dvmB.pubkey]);
      stores = {
        sqlite, traffic,
        metrics: new PgMetricsRepo(pool),
        pages: new PgPageRepo({ db: pool, pinnedDvms: () => pinned }),
        events: new PgEventReads(pool),
        store: createPgNostrStore({
          pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined, pinnedDvms: () => pinned,
          retention: new PgNostrRetention(pool), postedJobs: createPgPostedJobStore(pool), historyBackfill: createPgHistoryBackfillStore(pool),
        }),
      };
    });

    after(() => pool?.end());

    for (const parity of CASES) {
      it(parity.name, async () => {
        const expected = parity.sqlite(stores);
        const actual = await parity.pg(stores);
        assert.deepEqual(actual, expected);
      });
    }
  });
}

describe('relay cursors on PostgreSQL move as on sql.js', () => {
  it('forward only, capped at the clock plus the skew, and put back from the future to the relay\'s newest stored event', async () => {
    const url = await createDatabase(server);
    const pool = await openPgPool(url);
    try {
      await runPgMigrations(pool, pgNostrMigrations, url);
      await FILLS[1].fill(sqlite, pool, traffic);
      const cursors = new PgRelayCursors(pool);
      const relay = 'wss://relay.parity.example';
      const steps = async (store: { advance(relay: string, at: number, now?: number): unknown; get(relay: string): unknown; repairFuture(now?: number): unknown }) => {
        const seen: unknown[] = [];
        for (const [at, now] of [[PAGE_NOW - 100, PAGE_NOW], [PAGE_NOW - 500, PAGE_NOW], [PAGE_NOW + 10_000, PAGE_NOW]] as const) {
          await store.advance(relay, at, now);
          seen.push(await store.get(relay));
        }
        await store.advance('wss://gone.example', PAGE_NOW + 5_000, PAGE_NOW + 5_000);
        seen.push(await store.repairFuture(PAGE_NOW - 86_400), await store.get(relay), await store.get('wss://gone.example'));
        return seen;
      };
      const sqliteCursors = new RelayCursorRepo(new PreparedStatements(sqlite.store.db));
      const expected = await steps(sqliteCursors);
      assert.deepEqual(await steps(cursors), expected);
      assert.equal(expected[1], PAGE_NOW - 100, 'a cursor never moves back');
    } finally {
      await pool.end();
    }
  });
});

it('the reads see data: the cases compare figures, not two empty answers', () => {
  const metrics = sqlite.core.metrics(NOW);
  assert.ok(metrics.requests > 50 && metrics.results > 20 && metrics.satsRequested > 0 && metrics.mostPopularDvm !== null);
  assert.ok(sqlite.core.pages.dvm(traffic.dvmA.pubkey, { now: NOW, retention: RETENTION })!.problems.errorMessages.length > 0);
  assert.deepEqual(sqlite.core.contextVmServers(NOW).map((server) => server.tools), [['get_weather'], ['search', 'fetch_page']]);
});
