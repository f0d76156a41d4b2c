import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Database as SqlDatabase } from 'sql.js';
import type { Migration } from '../../src/core/store/sqlite/migration';
import { sqliteMigrations } from '../../src/core/store/sqlite/sqliteMigrations';
import { Store } from '../../src/core/store/sqlite/store';

/**
 * An applied migration never changes: a database in the field ran each step once and will not run it again, so an
 * edited step (or a shared list it builds its SQL from, such as nostrSql.ts PAIR_SHARE or SERIES_SUM_COLUMNS, edited
 * for PostgreSQL) would give new files a schema old files never get. Change the schema with a new step instead, and
 * add its line here. The order of the ids is pinned too: Store.open runs the steps a file lacks in this order, and
 * databases in the field were built by it.
 */
const FROZEN: readonly (readonly [id: string, sha256: string])[] = [
  ['core-001-meta-and-pins', 'eb11c57a471cec1a4d6ec0aa8d1b8942c6bf14971a35a854ee546d7e51cbaeb0'],
  ['core-002-dropped-counts', '601d937aa2f92914b2b260f80e26848f7b932254344acf364cbdf1f73c6df4bf'],
  ['core-003-alert-state', '861741cb4552b3d731a41af156f9da84155c3a9be448bf9479bcc763df09a864'],
  ['bittensor-001-snapshots', '6dfaf68415270c30654e649eca97ad72cabdb7d9620d2eb160d243df960f42f8'],
  ['bittensor-002-consensus-rollup', 'f04ab59f3e7f4787e2c13adea73f2b6662970dc97586e4f85460a2a2d4d0ed49'],
  ['bittensor-003-history-indexes', 'eff25a6488f4f4ac5ea6bdffca160fb747110e5fca32a606ced145a6a7b5ec71'],
  ['bittensor-chain-001-genesis', 'c4c2bac8fc42303246f0395d872fb4b7221a0406dcbd311bced3b42ef6078909'],
  ['bittensor-chain-002-history-keys', '8a3476c5353974b1ca08dcc46b389afc5f90f79c608ccb8de7e114b67d9f5843'],
  ['nostr-001-schema', 'cfa4ce58de3bfe9368370d67f7a2c80c19afe3e425d452b6ccfd27fabc586d1a'],
  ['nostr-002-page-stats', 'ca42ce49266205a5230d61b445a4454f258cb8c8f4a2f6c397258ce82fdab038'],
  ['nostr-003-contextvm-servers', '62000c75b90e81b53975e9c651114d566f00681b07d2d3fc773be5bf8f567510'],
  ['nostr-004-series-totals', '650b4bff5eea4649a5f916e20d8a82246487a6ce8354db62f944d08d5862b62a'],
  ['nostr-005-history-backfill', 'fc29ffd7c4081ef29df3236a000c7a5734e8fa3903bd84769e9f631fb6e59135'],
  ['nostr-006-latency-stamps', '9bf6994d64a64fd7b18ac95dea69cd79e19cf390ee01679a6a59e7a70f1fcffc'],
  ['nostr-posted-001-jobs', 'f42d940cc0b05f5da0a4d24d04b56c890c1db1807f04550f178ccf858a05037a'],
  ['nostr-posted-002-request', '76578b53eb16a31345fa69290cdd35d23ca54ada51c3ca644feacf7156bf8ead'],
];

/** The database with each statement it is given (run, exec, prepare, each) written down before it is sent. */
function recording(db: SqlDatabase, sent: string[]): SqlDatabase {
  return new Proxy(db, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'run' || key === 'exec' || key === 'prepare' || key === 'each') sent.push(String(args[0]));
        return (value as (...all: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Each step's id and a sha256 of the SQL it sends, as Store.open runs the steps on a new database in memory. */
async function fingerprints(migrations: readonly Migration[]): Promise<[string, string][]> {
  const sent = migrations.map((): string[] => []);
  const { store } = await Store.open({
    path: undefined,
    migrations: migrations.map((migration, i) => ({ id: migration.id, up: (db: SqlDatabase) => migration.up(recording(db, sent[i]!)) })),
  });
  await store.close();
  return migrations.map((migration, i) => [migration.id, createHash('sha256').update(JSON.stringify(sent[i])).digest('hex')]);
}

test('every sql.js migration step sends the SQL it sent when it shipped, in the order it shipped', async () => {
  const actual = await fingerprints(sqliteMigrations);
  assert.deepEqual(actual.map(([id]) => id), FROZEN.map(([id]) => id), 'the steps or their order changed: add a new step at the end of its domain instead');
  assert.deepEqual(actual, FROZEN.map(([id, sha]) => [id, sha]), 'a step\'s SQL changed: an applied migration never changes; add a new step instead');
});

test("a step's fingerprint changes when that step sends other SQL, and no other step's does", async () => {
  const base = await fingerprints(sqliteMigrations);
  const [first, second, ...rest] = sqliteMigrations;
  const extra: Migration = { id: first!.id, up: (db: SqlDatabase) => { first!.up(db); db.run('SELECT 1'); } };
  const changed = await fingerprints([extra, second!, ...rest]);
  assert.equal(changed[0]![0], base[0]![0]);
  assert.notEqual(changed[0]![1], base[0]![1]);
  assert.deepEqual(changed.slice(1), base.slice(1));
});
