import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { ChangeSet } from '../../src/core/nostr/jobAssembler';
import type { NostrStore } from '../../src/core/nostr/nostrStore';
import { notifyNostrChange } from '../../src/core/store/postgres/pgChangeNotices';
import { PgDatabaseRefusedError } from '../../src/core/store/postgres/pgMigrations';
import { openPgStorage, type PgStorage } from '../../src/core/store/postgres/pgStorage';
import { pgStorageMigrations } from '../../src/core/store/postgres/pgStorageMigrations';
import type { RemoteChange } from '../../src/core/store/remoteChange';
import type { LogLevel } from '../../src/core/util/logLevel';
import type { Logger } from '../../src/core/util/logger';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { DEFAULT_EXCLUDED, fixtureEvents } from '../fixtures/nostr/eventBuilders';
import { pageTraffic } from '../fixtures/nostr/pageTraffic';
import { eventually } from '../support/eventually';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * The team store's Storage (issue 14) on a private PostgreSQL server: opening migrates a fresh database once and
 * refuses a foreign one; the engine-wide state lives there; and two storages on one database (a collector and an
 * editor) hear each other's writes through LISTEN/NOTIFY, even after the server cut the listening connection.
 */

describe('PostgreSQL storage', () => {
  let server: PostgresServer;
  let admin: pg.Client;
  const open: PgStorage[] = [];
  before(async () => {
    server = await startPostgres();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
  });
  after(async () => {
    for (const storage of open) await storage.close().catch(() => undefined);
    await admin?.end();
    await server?.stop();
  });

  async function openTracked(url: string, options: Parameters<typeof openPgStorage>[1] = {}): Promise<PgStorage> {
    const storage = await openPgStorage(url, options);
    open.push(storage);
    return storage;
  }

  async function closeTracked(storage: PgStorage): Promise<void> {
    open.splice(open.indexOf(storage), 1);
    await storage.close();
  }

  async function applied(url: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ id: string; applied_at: string }>('SELECT id, applied_at FROM swarmscope_migrations ORDER BY id')).rows.map((row) => `${row.id} @ ${row.applied_at}`);
    } finally {
      await client.end();
    }
  }

  it('migrates a fresh database with every step, and reopening it applies nothing', async () => {
    const url = await createDatabase(server);
    const first = await openTracked(url);
    assert.equal(first.kind, 'postgres');
    assert.equal(first.location, url);
    const steps = await applied(url);
    assert.deepEqual(steps.map((step) => step.split(' @ ')[0]), pgStorageMigrations.map((migration) => migration.id).sort());
    await closeTracked(first);

    const again = await openTracked(url);
    assert.deepEqual(await applied(url), steps, 'the second open applied or re-applied a step');
    const since = await again.engineState.collectingSince();
    assert.equal(since, Math.floor(Math.min(...steps.map((step) => Number(step.split(' @ ')[1]))) / 1000));
    assert.ok((await again.usedBytes()) > 1_000_000, 'pg_database_size of a migrated database');
    await closeTracked(again);
  });

  it('counts debug filler in usedBytes, compacts while open, and closes every connection it opened', async () => {
    const url = await createDatabase(server);
    const storage = await openTracked(url);
    const sessions = async () => Number((await admin.query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [storage.applicationName])).rows[0].n);
    assert.ok((await sessions()) >= 2, 'the pool and the listening connection');
    const before = await storage.usedBytes();
    await storage.debugFill(2);
    assert.ok((await storage.usedBytes()) - before >= 2 * 1024 * 1024, 'random filler is not compressed away');
    await storage.compact();
    await closeTracked(storage);
    assert.equal(storage.pool.ended, true);
    // The listening connection is held, never idle: only close() gives it back.
    await eventually('the closed storage to have no session left', async () => (await sessions()) === 0);
  });

  it('refuses a database of another application, naming its URL without the password, and leaves nothing open', async () => {
    const url = await createDatabase(server);
    const database = new URL(url).pathname.slice(1);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('CREATE TABLE invoices (id integer PRIMARY KEY)');
    await other.end();

    await assert.rejects(openPgStorage(url, { password: 'hunter2-secret' }), (error: Error) => {
      assert.ok(error instanceof PgDatabaseRefusedError, String(error));
      assert.ok(error.message.includes(url), error.message);
      assert.ok(!error.message.includes('hunter2'), error.message);
      assert.match(error.message, /invoices/);
      return true;
    });
    const tables = await admin.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
    );
    assert.deepEqual(tables.rows, [], 'the maintenance database is not the one refused');
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const left = await check.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY relname`);
      assert.deepEqual(left.rows.map((row) => row.relname), ['invoices']);
    } finally {
      await check.end();
    }
    await eventually('the refused storage to have closed its connections', async () => {
      const sessions = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'swarmscope/%'`, [database]);
      return sessions.rows[0].n === '0';
    });
  });

  it('keeps pins, alerts and dropped counts on the server, shared by every storage of the database', async () => {
    const url = await createDatabase(server);
    const one = await openTracked(url, { listen: false });
    const two = await openTracked(url, { listen: false });
    const dvm = 'a'.repeat(64);
    const hotkey = '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX';

    await one.engineState.pins.add('dvm', dvm, 'Translator');
    await one.engineState.pins.add('hotkey', hotkey);
    await one.engineState.pins.add('dvm', dvm, 'Translator <renamed>');
    const pins = await two.engineState.pins.list();
    assert.deepEqual(pins.map(({ domain, key, label }) => ({ domain, key, label })).sort((a, b) => a.domain.localeCompare(b.domain)), [
      { domain: 'dvm', key: dvm, label: 'Translator <renamed>' },
      { domain: 'hotkey', key: hotkey, label: undefined },
    ]);
    assert.ok(pins.every((pin) => Number.isInteger(pin.createdAt) && pin.createdAt > 1_700_000_000));
    assert.deepEqual((await two.engineState.pins.list('hotkey')).map((pin) => pin.key), [hotkey]);
    await two.engineState.pins.remove('dvm', dvm);
    assert.deepEqual((await one.engineState.pins.list()).map((pin) => pin.key), [hotkey]);

    await one.engineState.alerts.raise('nostr:silent:b', 1_800_000_010);
    await one.engineState.alerts.raise('nostr:silent:a', 1_800_000_000);
    await one.engineState.alerts.raise('bittensor:stale:x', 1_800_000_020);
    await one.engineState.alerts.raise('nostr:silent:a', 1_800_000_005);
    await one.engineState.alerts.raise('nostr_silent%', 1_800_000_030);
    assert.deepEqual(await two.engineState.alerts.list('nostr:silent:'), [
      { key: 'nostr:silent:a', raisedAt: 1_800_000_005 },
      { key: 'nostr:silent:b', raisedAt: 1_800_000_010 },
    ]);
    assert.equal((await two.engineState.alerts.list('')).length, 4);
    assert.equal(await two.engineState.alerts.clear('nostr:silent:a'), true);
    assert.equal(await one.engineState.alerts.clear('nostr:silent:a'), false);

    await one.engineState.dropped.add('bad signature', 3);
    await two.engineState.dropped.add('bad signature', 4);
    await two.engineState.dropped.add('excluded kind', 0);
    await one.engineState.dropped.add('too large', 1);
    assert.deepEqual(await two.engineState.dropped.all(), { 'bad signature': 7, 'too large': 1 });
  });

  describe('live feed between two storages of one database', () => {
    let url: string;
    let collector: PgStorage;
    let editor: PgStorage;
    const heardByEditor: RemoteChange[] = [];
    const heardByCollector: RemoteChange[] = [];
    const editorLog: string[] = [];
    let collectorNostr: NostrStore;
    let editorNostr: NostrStore;

    before(async () => {
      url = await createDatabase(server);
      collector = await openTracked(url);
      const log: Logger = { log: (level: LogLevel, message: string) => editorLog.push(`${level}: ${message}`) };
      editor = await openTracked(url, { log });
      editor.onRemoteChange((change) => heardByEditor.push(change));
      collector.onRemoteChange((change) => heardByCollector.push(change));
      const nostrOptions = { excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined, pinnedDvms: () => new Set<string>() };
      collectorNostr = collector.openNostr(nostrOptions);
      editorNostr = editor.openNostr(nostrOptions);
      await collectorNostr.ready();
    });

    /** What the editor heard of Nostr changes since `from`, as one change set (or 'all' for a field sent as such). */
    function heardNostr(from: number): { dvms: Set<string> | 'all'; kinds: Set<number> | 'all'; jobs: Set<string> | 'all' } {
      const union = { dvms: new Set<string>() as Set<string> | 'all', kinds: new Set<number>() as Set<number> | 'all', jobs: new Set<string>() as Set<string> | 'all' };
      for (const change of heardByEditor.slice(from)) {
        if (change.domain !== 'nostr') continue;
        for (const field of ['dvms', 'kinds', 'jobs'] as const) {
          const into = union[field];
          const got = change[field];
          if (got === 'all' || into === 'all') (union as Record<string, unknown>)[field] = 'all';
          else for (const value of got) (into as Set<unknown>).add(value);
        }
      }
      return union;
    }

    async function ingestAndHear(events: readonly NostrEvent[]): Promise<ChangeSet> {
      const from = heardByEditor.length;
      const outcome = await collectorNostr.events.ingest('wss://relay.example', events);
      assert.ok(outcome.accepted > 0 && outcome.changes.jobs.size > 0 && outcome.changes.dvms.size > 0, 'the batch touched jobs and DVMs');
      await eventually('the editor to hear every job the batch touched', () => {
        const heard = heardNostr(from);
        return heard.jobs !== 'all' && outcome.changes.jobs.size === heard.jobs.size;
      });
      assert.deepEqual(heardNostr(from), { dvms: outcome.changes.dvms, kinds: outcome.changes.kinds, jobs: outcome.changes.jobs });
      // What the editor is told to refresh, it can read: every job heard whose request came in the batch has its
      // trace on the editor's own store (a result whose request no relay sent has no event to trace from).
      const requests = new Set(events.map((event) => event.id));
      const traced = [...outcome.changes.jobs].filter((job) => requests.has(job));
      assert.ok(traced.length > 0);
      for (const job of traced) assert.ok(await editorNostr.events.trace(job), `the editor reads job ${job}`);
      return outcome.changes;
    }

    it("hears the collector's ingest of real signed events, with the DVMs, kinds and jobs it touched", async () => {
      await ingestAndHear(fixtureEvents());
    });

    it("does not report a storage's own writes to itself", async () => {
      // Notices reach a listener in commit order: once the collector hears the editor's snapshot, it has been
      // handed every notice of its own ingest before it, and must have dropped them.
      const before = heardByCollector.length;
      await editor.openBittensor().snapshots.save(recordedMetagraphSnapshot(), { takenAt: 1_800_000_000, blockTime: 1_800_000_000 }, null);
      await eventually('the collector to hear the snapshot', () => heardByCollector.length > before);
      assert.deepEqual(heardByCollector.slice(before), [{ domain: 'bittensor', netuids: [1] }]);
      assert.ok(heardByCollector.every((change) => change.domain === 'bittensor'), JSON.stringify(heardByCollector));
    });

    it("sends a change too large for one notice as 'all' (jobs first), and ignores notices that are not Swarmscope's", async () => {
      const from = heardByEditor.length;
      // Another program on the channel, and a shape this version does not know: neither reaches the listeners.
      await admin.query(`SELECT pg_notify('swarmscope_nostr', 'not json')`);
      const foreign = new pg.Client({ connectionString: url });
      await foreign.connect();
      try {
        await foreign.query(`SELECT pg_notify('swarmscope_nostr', '{"from":"x","change":{"dvms":["<b>not hex</b>"],"kinds":[],"jobs":[]}}')`);
      } finally {
        await foreign.end();
      }
      const hex = (i: number) => i.toString(16).padStart(64, '0');
      const big = { dvms: new Set([hex(1), hex(2)]), kinds: new Set([5050]), jobs: new Set(Array.from({ length: 200 }, (_, i) => hex(1000 + i))) };
      await notifyNostrChange(collector.pool, big);
      await eventually('the editor to hear the large change', () => heardByEditor.length > from);
      assert.deepEqual(heardByEditor.slice(from), [{ domain: 'nostr', dvms: [hex(1), hex(2)], kinds: [5050], jobs: 'all' }]);
    });

    it('reconnects after the server terminates its listening connection, says so, and hears later writes', async () => {
      const listening = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`, [editor.applicationName],
      );
      assert.equal(listening.rows.length, 1, 'one listening connection');
      const from = heardByEditor.length;
      await admin.query('SELECT pg_terminate_backend($1)', [listening.rows[0].pid]);
      await eventually('the editor to be told to reload everything', () => heardByEditor.slice(from).some((change) => change.domain === 'all'));
      assert.ok(editorLog.some((line) => /^warn: PostgreSQL change feed lost its connection/.test(line)), editorLog.join('\n'));
      const relistening = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`, [editor.applicationName],
      );
      assert.equal(relistening.rows.length, 1);
      assert.notEqual(relistening.rows[0].pid, listening.rows[0].pid);
      await ingestAndHear(pageTraffic().events);
    });
  });
});
