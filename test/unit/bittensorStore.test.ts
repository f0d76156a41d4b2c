import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import { SnapshotRepo } from '../../src/core/store/sqlite/bittensor/snapshotRepo';
import { applyRetention, evictOldestSnapshots } from '../../src/core/store/sqlite/bittensor/snapshotRetention';
import { subnetSummaries } from '../../src/core/store/sqlite/bittensor/subnetSummaries';
import { SubnetRepo } from '../../src/core/store/sqlite/bittensor/subnetRepo';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { recordedMetagraphSnapshot } from '../support/replayNode';

describe('bittensor snapshot store', () => {
  let store: Store;
  const snapshot = recordedMetagraphSnapshot();
  const now = 1_800_000_000;

  before(async () => {
    ({ store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] }));
  });
  after(() => store.close());

  it('stores a snapshot and reads back every neuron unchanged', () => {
    const repo = new SnapshotRepo(store.db);
    repo.save(snapshot, { takenAt: now, blockTime: now });
    const info = repo.find(1);
    assert.ok(info);
    assert.equal(info.block, 6_852_690);
    const back = repo.read(info);
    assert.deepEqual(back, snapshot);
  });

  it('replaces a snapshot taken again at the same block', () => {
    const repo = new SnapshotRepo(store.db);
    repo.save(snapshot, { takenAt: now + 5, blockTime: now });
    assert.equal(repo.list(1).length, 1);
    assert.equal(store.db.exec('SELECT COUNT(*) FROM bittensor_neurons')[0].values[0][0], 1024);
  });

  it('thins snapshots past the raw window but keeps pinned hotkeys and the newest snapshot', () => {
    const repo = new SnapshotRepo(store.db);
    const old = { ...snapshot, block: snapshot.block - 20_000 };
    repo.save(old, { takenAt: now - 72 * 3_600, blockTime: now - 72 * 3_600 });
    const pinned = snapshot.neurons[7].hotkey;
    const result = applyRetention(store.db, { now, rawWindowHours: 48, historyDays: 90, pinnedHotkeys: [pinned] });
    assert.equal(result.neuronRows, 1023);
    const [newest, thinned] = repo.list(1);
    assert.equal(newest.complete, true);
    assert.equal(thinned.complete, false);
    const kept = repo.read(thinned);
    assert.deepEqual(kept.neurons.map((neuron) => neuron.hotkey), [pinned]);
    // metagraph reads skip incomplete snapshots
    assert.equal(repo.find(1, old.block), undefined);
    // rollups: one per UID per day, both days present
    assert.equal(store.db.exec('SELECT COUNT(DISTINCT day) FROM bittensor_uid_days')[0].values[0][0], 2);
  });

  it('evicts the oldest unpinned rows for the size budget, never the newest snapshot', () => {
    const repo = new SnapshotRepo(store.db);
    repo.save({ ...snapshot, block: snapshot.block - 1_000 }, { takenAt: now - 3_600, blockTime: now - 3_600 });
    const removed = evictOldestSnapshots(store.db, 1, []);
    assert.equal(removed, 1024);
    assert.equal(repo.find(1)?.block, snapshot.block);
    assert.equal(repo.read(repo.find(1)!).neurons.length, 1024);
  });

  it('computes the 24 h register-cost change and staleness for the subnet list', () => {
    const subnets = new SubnetRepo(store.db);
    subnets.addPoint(1, snapshot.block - 7_300, 400_000, null, 1024);
    subnets.addPoint(1, snapshot.block, 500_000, null, 1024);
    assert.equal(subnets.burnChange24h(1), 100_000);
    const [summary] = subnetSummaries(store.db, subnets, [1], snapshot.block + 150);
    assert.equal(summary.netuid, 1);
    assert.equal(summary.name, 'Apex');
    assert.equal(summary.validators, 12);
    assert.equal(summary.validatorsEstimated, false);
    assert.equal(summary.burnChange24hTao, 0.0001);
    assert.equal(summary.stale, true);
    assert.equal(subnetSummaries(store.db, subnets, [1], snapshot.block + 99)[0].stale, false);
  });
  it('reuses the ids of keys and axons already stored when a new repo (a restarted engine) saves', () => {
    const keysBefore = store.db.exec('SELECT COUNT(*), MAX(id) FROM bittensor_keys')[0].values[0];
    const axonsBefore = store.db.exec('SELECT COUNT(*) FROM bittensor_axons')[0].values[0][0];
    const distinctKeys = new Set(snapshot.neurons.flatMap((neuron) => [neuron.hotkey, neuron.coldkey])).size;
    assert.equal(keysBefore[0], distinctKeys);
    const restarted = new SnapshotRepo(store.db);
    const newcomer = { ...snapshot.neurons[3], hotkey: '5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM' };
    const next = { ...snapshot, block: snapshot.block + 100, neurons: snapshot.neurons.map((neuron, i) => (i === 3 ? newcomer : neuron)) };
    restarted.save(next, { takenAt: now + 1_200, blockTime: now + 1_200 });
    assert.deepEqual(store.db.exec('SELECT COUNT(*), MAX(id) FROM bittensor_keys')[0].values[0], [distinctKeys + 1, (keysBefore[1] as number) + 1]);
    assert.equal(store.db.exec('SELECT COUNT(*) FROM bittensor_axons')[0].values[0][0], axonsBefore);
    assert.deepEqual(restarted.read(restarted.find(1)!), next);
    // The earlier snapshot still reads back with the keys it was stored with.
    assert.deepEqual(restarted.read(restarted.find(1, snapshot.block)!), snapshot);
  });

  it('rolls a failed save back whole, and saves again afterwards', () => {
    const repo = new SnapshotRepo(store.db);
    const count = () => store.db.exec('SELECT (SELECT COUNT(*) FROM bittensor_snapshots), (SELECT COUNT(*) FROM bittensor_neurons), (SELECT COUNT(*) FROM bittensor_keys), (SELECT SUM(samples) FROM bittensor_uid_days)')[0].values[0];
    const before = count();
    const stranger = { ...snapshot.neurons[0], hotkey: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty', coldkey: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y' };
    const broken = { ...snapshot, block: snapshot.block + 200, neurons: [...snapshot.neurons, stranger] }; // uid 0 twice
    assert.throws(() => repo.save(broken, { takenAt: now + 2_400, blockTime: now + 2_400 }), /UNIQUE|PRIMARY KEY|constraint/i);
    assert.deepEqual(count(), before);
    const fixed = { ...snapshot, block: snapshot.block + 200, neurons: snapshot.neurons.map((neuron, i) => (i === 0 ? stranger : neuron)) };
    repo.save(fixed, { takenAt: now + 2_400, blockTime: now + 2_400 });
    assert.deepEqual(repo.read(repo.find(1)!), fixed);
  });

  it('sums one day of snapshots into one rollup row per UID, a snapshot taken again at a block counting once', () => {
    const sums = store.db.exec(`SELECT COUNT(*), MIN(samples), MAX(samples) FROM bittensor_uid_days WHERE day = ${Math.floor(now / 86_400)} AND uid = 5`)[0].values[0];
    assert.deepEqual(sums, [1, 4, 4]);
    const neuron = snapshot.neurons[5];
    const row = store.db.exec(`SELECT incentive_sum, permit_samples, stake_last, first_block, last_block FROM bittensor_uid_days WHERE day = ${Math.floor(now / 86_400)} AND uid = 5`)[0].values[0];
    assert.deepEqual(row, [Math.round(neuron.incentive * 65_535) * 4, neuron.validatorPermit ? 4 : 0, Math.round(neuron.stake * 1e9), snapshot.block - 1_000, snapshot.block + 200]);
  });
});
