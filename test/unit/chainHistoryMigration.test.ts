import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Database as SqlDatabase } from 'sql.js';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { ChainGenesisRepo } from '../../src/core/store/sqlite/bittensor/chainGenesisRepo';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import { SnapshotRepo } from '../../src/core/store/sqlite/bittensor/snapshotRepo';
import { SubnetRepo } from '../../src/core/store/sqlite/bittensor/subnetRepo';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { FINNEY_GENESIS } from '../support/replayNode';

/**
 * A database from before the history was keyed by chain (issue 13) keeps every row, each given a chain by the
 * migration's rules: a header its recorded genesis (none recorded: the chain current then, else unknown), a rollup
 * row the chain of the snapshot of its newest sample, a subnet point the chain of the snapshot at its block (else
 * the current chain). The rows are written here in the old schema's own columns, as the old save path left them.
 */

const TESTNET = `0x${'7e57'.repeat(16)}`;
const DAY = 20_833;
const OLD_SCHEMA = [...coreMigrations, ...bittensorMigrations, chainGenesisMigrations[0]];
const ALL = [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations];

function writeOldRows(db: SqlDatabase, current: string | null): void {
  const header = (id: number, netuid: number, block: number, genesis: string | null) => db.run(
    `INSERT INTO bittensor_snapshots (id, netuid, block, taken_at, block_time, n, validators, coldkeys, facts, complete, genesis)
     VALUES (?, ?, ?, ?, ?, 1, 0, 1, '{}', 0, ?)`, [id, netuid, block, DAY * 86_400 + block, DAY * 86_400 + block, genesis]);
  header(1, 1, 100, current === null ? null : FINNEY_GENESIS);
  header(2, 1, 200, null);
  header(3, 2, 100, current === null ? null : TESTNET);
  const rollup = (netuid: number, day: number, uid: number, lastBlock: number) => db.run(
    `INSERT INTO bittensor_uid_days (netuid, day, uid, hotkey_id, coldkey_id, samples, permit_samples, incentive_sum, dividends_sum, trust_sum,
       validator_trust_sum, emission_sum, stake_last, first_block, last_block, consensus_sum) VALUES (?, ?, ?, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, ?, ?, 0)`,
    [netuid, day, uid, lastBlock, lastBlock]);
  rollup(1, DAY, 0, 200);
  rollup(2, DAY, 0, 100);
  rollup(1, DAY - 1, 0, 50); // its snapshot's header is gone
  for (const [netuid, block, burn] of [[1, 100, 10], [2, 100, 20], [1, 150, 30]]) {
    db.run('INSERT INTO bittensor_subnet_points (netuid, block, burn_rao, price, uids) VALUES (?, ?, ?, NULL, 1)', [netuid, block, burn]);
  }
  if (current !== null) db.run("INSERT INTO meta (key, value) VALUES ('bittensor.genesis', ?)", [current]);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-chain-migration-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A database file left by the old schema with those rows, opened by today's migrations. */
async function migrated(name: string, current: string | null) {
  const file = path.join(dir, `${name}.db`);
  const old = await Store.open({ path: file, migrations: OLD_SCHEMA });
  writeOldRows(old.store.db, current);
  old.store.markDirty();
  await old.store.close();
  return (await Store.open({ path: file, migrations: ALL })).store;
}

const readScope = (db: SqlDatabase, genesis: string | null) => new ChainGenesisRepo(db).readScope(genesis);
const chainOf = (db: SqlDatabase, genesis: string | null) => readScope(db, genesis).id;
const rollupChains = (db: SqlDatabase) => db.exec('SELECT netuid, day, chain FROM bittensor_uid_days ORDER BY netuid, day')[0].values;
const pointChains = (db: SqlDatabase) => db.exec('SELECT netuid, block, chain FROM bittensor_subnet_points ORDER BY netuid, block')[0].values;

test('rows stored before chains keyed the history are given the chain they were read from', async () => {
  const store = await migrated('tagged', FINNEY_GENESIS);
  try {
    const db = store.db;
    const snapshots = new SnapshotRepo(db);
    const finney = readScope(db, FINNEY_GENESIS);
    const testnet = readScope(db, TESTNET);
    // The untagged header at 200 was shown as the current chain's, so it is finney's.
    assert.deepEqual(snapshots.list(1, 10, finney).map((s) => s.block), [200, 100]);
    assert.deepEqual(snapshots.list(2, 10, testnet).map((s) => s.block), [100]);
    assert.deepEqual(snapshots.list(2, 10, finney), []);
    assert.deepEqual(rollupChains(db), [[1, DAY - 1, 0], [1, DAY, finney.id], [2, DAY, testnet.id]]);
    assert.deepEqual(pointChains(db), [[1, 100, finney.id], [1, 150, finney.id], [2, 100, testnet.id]]);
    // Their axons never went into the rollups: those days have no IP counts.
    assert.deepEqual(db.exec('SELECT DISTINCT ip_rolled FROM bittensor_snapshots')[0].values, [[0]]);
    // Now one chain's point at a block no longer replaces the other's.
    new SubnetRepo(db).addPoint(1, 100, 99, null, 1, TESTNET);
    assert.deepEqual(pointChains(db).filter(([netuid, block]) => netuid === 1 && block === 100), [[1, 100, finney.id], [1, 100, testnet.id]]);
  } finally {
    await store.close();
  }
});

test('without a chain known, the old rows stay unknown until the first chain connected adopts them', async () => {
  const store = await migrated('untagged', null);
  try {
    const db = store.db;
    const snapshots = new SnapshotRepo(db);
    assert.deepEqual(snapshots.list(1, 10, readScope(db, null)).map((s) => s.block), [200, 100]);
    assert.deepEqual(rollupChains(db).map(([, , chain]) => chain), [0, 0, 0]);
    new ChainGenesisRepo(db).connectedTo(FINNEY_GENESIS);
    const finney = chainOf(db, FINNEY_GENESIS);
    assert.deepEqual(snapshots.list(1, 10, readScope(db, FINNEY_GENESIS)).map((s) => s.block), [200, 100]);
    assert.deepEqual(snapshots.list(1, 10, readScope(db, null)), []);
    assert.deepEqual(rollupChains(db).map(([, , chain]) => chain), [finney, finney, finney]);
    assert.deepEqual(pointChains(db).map(([, , chain]) => chain), [finney, finney, finney]);
  } finally {
    await store.close();
  }
});
