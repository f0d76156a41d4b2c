import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { openPgPool, PgConnectionError } from '../../src/core/store/postgres/pgConnection';
import { describePgUrl, PgUrlRefusedError } from '../../src/core/store/postgres/pgUrl';
import { PgDatabaseRefusedError, runPgMigrations, type PgMigration } from '../../src/core/store/postgres/pgMigrations';
import { MIGRATIONS_LOCK } from '../../src/core/store/postgres/pgTransaction';
import { eventually } from '../support/eventually';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/**
 * The ground the PostgreSQL store stands on, against a real server on loopback: the private server harness, opening
 * a pool (passwords never from the URL; clear errors for a dead port, a bad login, a missing database) and the
 * migration runner (once, idempotent, safe when two processes start together, refusing a database not ours).
 */

// `alice` must log in with a password over TCP; the superuser `postgres` is trusted.
let server: PostgresServer;
const pools: pg.Pool[] = [];
before(async () => {
  server = await startPostgres({ passwordRoles: ['alice'] });
});
after(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
  await server?.stop();
});

async function open(url: string, options?: Parameters<typeof openPgPool>[1]): Promise<pg.Pool> {
  const pool = await openPgPool(url, options);
  pools.push(pool);
  return pool;
}

/** Two steps; the second writes a row, so a step that ran twice shows as two rows. */
const MIGRATIONS: readonly PgMigration[] = [
  { id: 'test-0001', statements: ['CREATE TABLE runs (step text NOT NULL)', "INSERT INTO runs VALUES ('test-0001')"] },
  { id: 'test-0002', statements: ["INSERT INTO runs VALUES ('test-0002')", 'CREATE INDEX runs_step ON runs (step)'] },
];

async function rows(pool: pg.Pool, sql: string): Promise<unknown[]> {
  return (await pool.query(sql)).rows;
}

test('a private server starts on loopback, answers, and leaves nothing behind when stopped', async () => {
  const own = await startPostgres();
  assert.ok(fs.existsSync(own.dir));
  const client = new pg.Client({ connectionString: own.url });
  await client.connect();
  const { rows: [row] } = await client.query('SELECT current_user AS who, inet_server_addr()::text AS addr, inet_server_port() AS port');
  await client.end();
  assert.deepEqual(row, { who: 'postgres', addr: '127.0.0.1/32', port: own.port });
  await own.stop();
  assert.equal(fs.existsSync(own.dir), false, `${own.dir} is still there`);
  await assert.rejects(openPgPool(own.url), (error: Error) => error instanceof PgConnectionError && error.failure === 'refused');
  await own.stop(); // a second stop is harmless
});

test('migrations apply once, in order, and a second run is a no-op', async () => {
  const url = await createDatabase(server);
  const pool = await open(url);
  assert.deepEqual((await runPgMigrations(pool, MIGRATIONS, url)).applied, ['test-0001', 'test-0002']);
  assert.deepEqual((await runPgMigrations(pool, MIGRATIONS, url)).applied, []);
  assert.deepEqual(await rows(pool, 'SELECT step FROM runs ORDER BY step'), [{ step: 'test-0001' }, { step: 'test-0002' }]);
  assert.deepEqual(await rows(pool, 'SELECT id FROM swarmscope_migrations ORDER BY id'), [{ id: 'test-0001' }, { id: 'test-0002' }]);
  // A later version adds a step: only that one runs.
  const more = [...MIGRATIONS, { id: 'test-0003', statements: ["INSERT INTO runs VALUES ('test-0003')"] }];
  assert.deepEqual((await runPgMigrations(pool, more, url)).applied, ['test-0003']);
  assert.deepEqual(await rows(pool, 'SELECT count(*)::int AS n FROM runs'), [{ n: 3 }]);
});

test('two runners started together (separate pools, as two processes) apply each step exactly once', async () => {
  const url = await createDatabase(server);
  const [first, second, observer] = [await open(url), await open(url), await open(url)];
  // The first step waits for a gate the test holds (an advisory lock of its own), so whichever runner takes the
  // migrations lock first keeps holding it, inside that step, until the test opens the gate.
  const GATE = [7, 7] as const;
  const gate = await observer.connect();
  await gate.query('SELECT pg_advisory_lock($1, $2)', [...GATE]);
  const gated: PgMigration[] = [{ id: 'test-0000', statements: [`SELECT pg_advisory_xact_lock(${GATE[0]}, ${GATE[1]})`] }, ...MIGRATIONS];
  const runs = Promise.all([runPgMigrations(first, gated, url), runPgMigrations(second, gated, url)]);
  // Both at once, seen by the server: one backend holds the migrations lock and waits at the gate inside step
  // test-0000, while the other backend waits for the migrations lock.
  const overlap = await eventually('one runner inside step test-0000 holding the migrations lock, the other waiting for that lock', async () => {
    const { rows: locks } = await observer.query<{ pid: number; granted: boolean; classid: string; objid: string }>(
      "SELECT pid, granted, classid::text, objid::text FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    const on = (key: readonly [number, number]) => locks.filter((lock) => lock.classid === String(key[0]) && lock.objid === String(key[1]));
    const holder = on(MIGRATIONS_LOCK).find((lock) => lock.granted)?.pid;
    const waiting = on(MIGRATIONS_LOCK).find((lock) => !lock.granted && lock.pid !== holder)?.pid;
    const holderAtGate = on(GATE).some((lock) => lock.pid === holder && !lock.granted);
    return holder !== undefined && waiting !== undefined && holderAtGate ? { holder, waiting } : undefined;
  }).finally(async () => {
    // Opened whether or not the overlap was seen, so that the runners end and the failure is the assertion's.
    await gate.query('SELECT pg_advisory_unlock($1, $2)', [...GATE]);
    gate.release();
  });
  const [a, b] = await runs;
  assert.notEqual(overlap.holder, overlap.waiting);
  // Each step applied by one runner or the other, never both: the schema ends applied once.
  assert.deepEqual([...a.applied, ...b.applied].sort(), ['test-0000', 'test-0001', 'test-0002']);
  assert.deepEqual(await rows(first, 'SELECT step FROM runs ORDER BY step'), [{ step: 'test-0001' }, { step: 'test-0002' }]);
  assert.deepEqual(await rows(first, 'SELECT id FROM swarmscope_migrations ORDER BY id'), [{ id: 'test-0000' }, { id: 'test-0001' }, { id: 'test-0002' }]);
});

test('a database with tables of its own and no swarmscope_migrations is refused and left untouched', async () => {
  const url = await createDatabase(server);
  const pool = await open(url);
  await pool.query('CREATE TABLE orders (id int PRIMARY KEY)');
  await assert.rejects(runPgMigrations(pool, MIGRATIONS, url), (error: Error) => {
    assert.ok(error instanceof PgDatabaseRefusedError, String(error));
    assert.match(error.message, /has tables \(orders\) but no swarmscope_migrations table/);
    assert.ok(error.message.includes(describePgUrl(url)), error.message);
    return true;
  });
  assert.deepEqual(await rows(pool, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"), [{ table_name: 'orders' }]);
});

test('a database migrated by a newer Swarmscope (a step this version does not know) is refused', async () => {
  const url = await createDatabase(server);
  const pool = await open(url);
  await runPgMigrations(pool, [...MIGRATIONS, { id: 'test-9999', statements: ['SELECT 1'] }], url);
  await assert.rejects(runPgMigrations(pool, MIGRATIONS, url), (error: Error) =>
    error instanceof PgDatabaseRefusedError && /newer Swarmscope.*"test-9999"/.test(error.message));
});

test('a URL that carries a password is refused, naming the option, without echoing the password', async () => {
  const withPassword = server.url.replace('postgres@', 'postgres:hunter2@');
  for (const [url, origin] of [
    [withPassword, undefined],
    [`${server.url}?password=hunter2`, undefined],
    [withPassword, 'swarmscope.storage.url'],
  ] as const) {
    await assert.rejects(openPgPool(url, { urlOrigin: origin }), (error: Error) => {
      assert.ok(error instanceof PgUrlRefusedError, String(error));
      assert.ok(error.message.startsWith(`${origin ?? '--store'} carries a password`), error.message);
      assert.match(error.message, /PGPASSWORD/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  }
  assert.equal(describePgUrl(withPassword), server.url);
  assert.equal(describePgUrl('postgres:///team?host=/run/postgresql&sslkey=/home/alice/.key'), 'postgres:///team?host=/run/postgresql');
});

test('a port where no server listens gives a refusal that names the server', async () => {
  const url = `postgres://postgres@127.0.0.1:1/swarmscope`;
  await assert.rejects(openPgPool(url), (error: Error) => {
    assert.ok(error instanceof PgConnectionError && error.failure === 'refused', String(error));
    assert.match(error.message, /^PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/swarmscope refused the connection/);
    return true;
  });
});

test('a missing database is named as missing', async () => {
  await assert.rejects(openPgPool(server.url.replace(/\/postgres$/, '/no_such_db')), (error: Error) =>
    error instanceof PgConnectionError && error.failure === 'database-missing' && /no_such_db/.test(error.message));
});

test('a password comes from the option, PGPASSWORD or the .pgpass file, and a missing or wrong one is a login failure', async (t) => {
  const admin = await open(server.url);
  await admin.query("CREATE ROLE alice LOGIN PASSWORD 'wonderland'");
  const url = server.url.replace('postgres@', 'alice@');
  const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
  const restore = () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  t.after(restore);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-pgpass-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const passFile = path.join(dir, 'pgpass');
  fs.writeFileSync(passFile, `127.0.0.1:${server.port}:*:alice:wonderland\n`, { mode: 0o600 });
  const loginFails = (pattern: RegExp) => (error: Error) => error instanceof PgConnectionError && error.failure === 'auth' && pattern.test(error.message);
  const who = async (pool: pg.Pool) => (await pool.query('SELECT current_user AS who')).rows[0].who;

  delete process.env.PGPASSWORD;
  process.env.PGPASSFILE = path.join(dir, 'absent');
  await assert.rejects(openPgPool(url), loginFails(/asks for a password and none was found/));
  assert.equal(await who(await open(url, { password: 'wonderland' })), 'alice');

  process.env.PGPASSWORD = 'looking-glass';
  await assert.rejects(openPgPool(url), loginFails(/refused the login: password authentication failed for user "alice"/));
  process.env.PGPASSWORD = 'wonderland';
  assert.equal(await who(await open(url)), 'alice');

  delete process.env.PGPASSWORD;
  process.env.PGPASSFILE = passFile;
  assert.equal(await who(await open(url)), 'alice');
});
