import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import type { BittensorStore, SnapshotInfo } from '../../src/core/bittensor/bittensorStore';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import type { ChainScope } from '../../src/core/bittensor/chainGenesisScope';
import type { MetagraphSnapshot, NeuronRow } from '../../src/core/bittensor/model';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { pgBittensorMigrations } from '../../src/core/store/postgres/pgBittensorMigrations';
import { createPgBittensorStore } from '../../src/core/store/postgres/pgBittensorStore';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { Store } from '../../src/core/store/sqlite/store';
import { axonAt, deriveMetagraph, derivedKey, type MetagraphStep } from '../support/derivedMetagraphs';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * The Bittensor store on both adapters (issue 14): the recorded finney metagraph (netuid 1, 1,024 UIDs) and ten
 * later snapshots derived from it step by step (registrations, a deregistration, axons moving, a permit changing
 * hands, stake and scores moving) are written through the seam into a sql.js store and a PostgreSQL store, with a
 * chain switch, a snapshot of another chain at the same block, a re-taken snapshot, the subnet list and register
 * costs; then every read of the seam is asked of both and must be deep-equal, before and after retention thins
 * the old snapshots, and after the size budget and the point pruning have had their turn.
 */

const HEAD = 6_852_690;
const STEPS = 10;
const STEP_BLOCKS = 1_800;
const STEP_SECONDS = 21_600;
const T0 = 1_800_000_000;
const blockAt = (k: number) => HEAD - STEP_BLOCKS * (STEPS - 1 - k);
const timeAt = (k: number) => T0 + STEP_SECONDS * k;
const FINNEY = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
const TESTNET = '0x8f9cf856bf558a14440e75569c9e58594757048d7b3a84b5d25f6bd978263105';
const GAINER = derivedKey('ParityColdkeyGaining');
const GAINER_NAME = 'Gainer <b>not html</b>';
const SHARED_IP = '198.51.100.77';

function stepBefore(k: number, previous: MetagraphSnapshot): MetagraphStep {
  const at = (uid: number) => previous.neurons.find((neuron) => neuron.uid === uid)!;
  const set: { uid: number; fields: Partial<NeuronRow> }[] = [{ uid: 0, fields: { stake: at(0).stake + 250.5, stakeAlpha: at(0).stakeAlpha + 250.5 } }];
  for (const uid of [1, 2, 3]) {
    set.push({ uid, fields: {
      incentive: ((k * 37 + uid * 11) % 1_000) / 65_535, consensus: ((k * 13 + uid) % 500) / 65_535, trust: ((k * 7 + uid) % 300) / 65_535,
      dividends: ((k + uid) % 5) / 65_535, emission: (k + uid) * 0.25,
    } });
  }
  const register: NonNullable<MetagraphStep['register']>[number][] = [];
  const deregister: number[] = [];
  if (k === 2) register.push({ uid: 1023, hotkey: derivedKey('ParityGained0'), coldkey: GAINER, ip: SHARED_IP, identity: GAINER_NAME });
  if (k === 4) for (const uid of [20, 21, 22, 23, 24]) set.push({ uid, fields: { axon: axonAt(SHARED_IP) } });
  if (k === 5) deregister.push(1000);
  if (k === 6) register.push({ uid: 1000, hotkey: derivedKey('ParityGained1'), coldkey: GAINER, ip: SHARED_IP, identity: GAINER_NAME });
  if (k === 7) set.push({ uid: 10, fields: { validatorPermit: !at(10).validatorPermit } });
  if (k === 8) register.push({ uid: 3, hotkey: derivedKey('ParityReplaces3'), coldkey: at(3).coldkey });
  return { block: blockAt(k), burnTao: 0.0005 + 0.0001 * k, register, deregister, set };
}

function buildHistory(): MetagraphSnapshot[] {
  const history = [deriveMetagraph(recordedMetagraphSnapshot(), { block: blockAt(0) })];
  for (let k = 1; k < STEPS; k++) history.push(deriveMetagraph(history[k - 1], stepBefore(k, history[k - 1])));
  return history;
}

const history = buildHistory();
const newest = history[STEPS - 1];
const pinned = newest.neurons[7].hotkey;
const someHotkeys = [newest.neurons[0].hotkey, newest.neurons[5].hotkey, derivedKey('ParityGained1'), derivedKey('NeverStored')];

/** Writes through the seam, the same on both stores; what a write answers (but snapshot handles) is compared too. */
async function writeHistory(store: BittensorStore): Promise<unknown[]> {
  const answers: unknown[] = [];
  // The first snapshot is taken before any endpoint answered: the chain connected next adopts it.
  await store.snapshots.save(history[0], { takenAt: timeAt(0), blockTime: timeAt(0) }, null);
  await store.subnets.addPoint(1, blockAt(0), 400_000, 0.01, 1024, null);
  answers.push(await store.chain.connectedTo(FINNEY));
  answers.push(await store.chain.connectedTo(FINNEY));
  for (let k = 1; k < STEPS; k++) {
    await store.snapshots.save(history[k], { takenAt: timeAt(k) + 3, blockTime: timeAt(k) }, FINNEY);
    await store.subnets.addPoint(1, blockAt(k), 400_000 + 10_000 * k, 0.01 + k / 1000, history[k].n, FINNEY);
  }
  // Taken again at the same block: replaces the rows and their share of the rollups.
  await store.snapshots.save(newest, { takenAt: timeAt(STEPS - 1) + 60, blockTime: timeAt(STEPS - 1) }, FINNEY);
  // Another chain at the very same block, and another subnet on this one.
  await store.snapshots.save({ ...history[4], netuid: 1, block: newest.block }, { takenAt: timeAt(STEPS - 1), blockTime: timeAt(STEPS - 1) }, TESTNET);
  await store.subnets.addPoint(1, newest.block, 999_000, null, null, TESTNET);
  await store.snapshots.save({ ...history[6], netuid: 3, name: 'three' }, { takenAt: timeAt(6), blockTime: timeAt(6) }, FINNEY);
  await store.subnets.replaceListing([
    { netuid: 1, name: 'subnet 1', tempo: 360, uids: 1024, maxUids: 1024, maxValidators: 64, burnRao: 520_000, priceTao: 0.02 },
    { netuid: 3, name: 'Three', tempo: 99, uids: 256, maxUids: 256, maxValidators: null, burnRao: null, priceTao: null },
    { netuid: 5, name: 'subnet 5', tempo: null, uids: 0, maxUids: null, maxValidators: null, burnRao: 1, priceTao: 1.5 },
  ], HEAD, FINNEY);
  return answers;
}

/** A read asked of both stores. Snapshot handles (`id`) are each store's own: left out of the comparison. */
interface ParityCase {
  readonly name: string;
  readonly read: (store: BittensorStore) => Promise<unknown>;
}

const withoutIds = (infos: readonly (SnapshotInfo | undefined)[]) => infos.map((info) => info && { ...info, id: undefined });
const scopeOf = (genesis: string): ChainScope => ({ genesis, id: -2 }); // snapshot reads key chains by genesis only
const found = async (store: BittensorStore) => (await store.snapshots.find(1, undefined, scopeOf(FINNEY)))!;
const range = { fromTime: timeAt(3), toTime: timeAt(8) };

const CASES: readonly ParityCase[] = [
  { name: 'snapshot headers of every chain', read: async (s) => withoutIds(await s.snapshots.list(1)) },
  { name: 'snapshot headers of one chain, limited', read: async (s) => withoutIds(await s.snapshots.list(1, 4, scopeOf(FINNEY))) },
  { name: 'snapshot headers of the other chain', read: async (s) => withoutIds(await s.snapshots.list(1, undefined, scopeOf(TESTNET))) },
  { name: 'find: newest, at a block, before a block, none', read: async (s) => withoutIds([
    await s.snapshots.find(1), await s.snapshots.find(1, blockAt(4), scopeOf(FINNEY)), await s.snapshots.find(1, blockAt(4) + 7),
    await s.snapshots.find(1, blockAt(0) - 1), await s.snapshots.find(42)]) },
  { name: 'latest two', read: async (s) => withoutIds(await s.snapshots.latestTwo(1, scopeOf(FINNEY))) },
  { name: 'netuids and latest blocks', read: async (s) => [await s.snapshots.netuids(), await s.snapshots.latestBlock(1), await s.snapshots.latestBlock(1, scopeOf(TESTNET)), await s.snapshots.latestBlock(9)] },
  { name: 'facts of the newest snapshot', read: async (s) => s.snapshots.facts(await found(s)) },
  { name: 'the newest snapshot read back whole', read: async (s) => s.snapshots.read(await found(s)) },
  { name: 'an older snapshot read back (thinned once retention ran)', read: async (s) => s.snapshots.read((await s.snapshots.list(1, undefined, scopeOf(FINNEY))).at(-3)!) },
  { name: 'a snapshot read for chosen hotkeys', read: async (s) => s.snapshots.read(await found(s), [...someHotkeys, pinned]) },
  { name: 'a snapshot read for no hotkeys', read: async (s) => s.snapshots.read(await found(s), []) },
  { name: 'the other chain\'s snapshot read back', read: async (s) => s.snapshots.read((await s.snapshots.find(1, undefined, scopeOf(TESTNET)))!) },
  { name: 'subnet listing', read: (s) => s.subnets.listing() },
  { name: 'subnet summaries', read: async (s) => [await s.subnets.summaries([1, 5], HEAD + 150), await s.subnets.summaries([], null)] },
  { name: 'chain scope', read: async (s) => [await s.chain.current(), await s.chain.scope(), await s.chain.netuids(), await s.chain.elsewhere()] },
  { name: 'chain latest blocks', read: async (s) => [await s.chain.latestBlock(1), await s.chain.latestBlock(1, blockAt(5)), await s.chain.latestBlock(3), await s.chain.latestBlock(8)] },
  { name: 'overview', read: async (s) => [await s.history.overview(1, HEAD + 150), await s.history.overview(1, null, { toBlock: blockAt(6) }), await s.history.overview(1, HEAD, range), await s.history.overview(8, HEAD)] },
  { name: 'groups by coldkey', read: (s) => s.history.groups(1, 'coldkey', {}, {}) },
  { name: 'groups by IP at a block, a later page', read: (s) => s.history.groups(1, 'ip', { block: blockAt(5) }, { limit: 5, offset: 1, historyLimit: 4 }) },
  { name: 'groups over a time range', read: (s) => s.history.groups(1, 'coldkey', range, { limit: 3 }) },
  { name: 'group series of the top coldkeys', read: (s) => s.history.groupSeries(1, 'coldkey', { top: 5 }, {}) },
  { name: 'group series of the top IPs', read: (s) => s.history.groupSeries(1, 'ip', { top: 3 }, {}) },
  { name: 'group series of named keys, few points', read: (s) => s.history.groupSeries(1, 'coldkey', { keys: [GAINER, 'nope', newest.neurons[0].coldkey] }, {}, 4) },
  { name: 'group series of an IP', read: (s) => s.history.groupSeries(1, 'ip', { keys: [SHARED_IP] }, range) },
  { name: 'churn', read: (s) => s.history.churn(1, {}) },
  { name: 'churn from a block, a short page', read: (s) => s.history.churn(1, { fromBlock: blockAt(3) }, 3) },
  { name: 'traces: top stake', read: (s) => s.history.traces(1, 'stake', { top: 5 }, {}) },
  { name: 'traces: incentive of UIDs', read: (s) => s.history.traces(1, 'incentive', { uids: [1, 2, 3, 1023, 1000] }, {}) },
  { name: 'traces: consensus of hotkeys, few points', read: (s) => s.history.traces(1, 'consensus', { hotkeys: someHotkeys }, {}, 4) },
  { name: 'traces: emission and trust over a time range', read: async (s) => [
    await s.history.traces(1, 'emission', { top: 3 }, range), await s.history.traces(1, 'trust', { uids: [1, 2] }, range)] },
  { name: 'traces: dividends of UIDs', read: (s) => s.history.traces(1, 'dividends', { uids: [0, 2, 3] }, {}) },
  { name: 'frames of validators', read: (s) => s.history.frames(1, 'validators', {}, {}) },
  { name: 'frames of miners, a page', read: (s) => s.history.frames(1, 'miners', {}, { offset: 2, limit: 3 }) },
];

describe('the Bittensor store answers the same on sql.js and PostgreSQL', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let sqliteStore: Store;
  const stores: Record<'sqlite' | 'pg', BittensorStore> = {} as never;

  before(async () => {
    server = await startPostgres();
    const url = await createDatabase(server);
    pool = await openPgPool(url);
    await runPgMigrations(pool, pgBittensorMigrations, url);
    ({ store: sqliteStore } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] }));
    stores.sqlite = createSqliteBittensorStore(sqliteStore.db);
    stores.pg = createPgBittensorStore(pool);
  });

  after(async () => {
    sqliteStore?.close();
    await pool?.end();
    await server?.stop();
  });

  /** Runs `act` on both stores in turn and asserts the answers deep-equal. */
  async function same(act: (store: BittensorStore) => Promise<unknown>): Promise<unknown> {
    const expected = await act(stores.sqlite);
    const actual = await act(stores.pg);
    assert.deepEqual(actual, expected);
    return expected;
  }

  function parityCases(phase: string): void {
    for (const parity of CASES) it(`${phase}: ${parity.name}`, async () => {
      await same(parity.read);
    });
  }

  it('writes the history through the seam on both, with the same answers', async () => {
    await same(writeHistory);
  });

  it('the reads see data: the cases compare figures, not two empty answers', async () => {
    const overview = (await stores.pg.history.overview(1, HEAD))!;
    assert.equal(overview.snapshots.stored, STEPS);
    assert.ok(overview.emissionPerTempo > 0 && overview.validatorsChange24h !== null && overview.burnChange24hTao !== null);
    assert.deepEqual(await stores.pg.snapshots.read(await found(stores.pg)), newest);
    const churn = await stores.pg.history.churn(1, {});
    assert.ok(churn.churn.some((point) => point.added > 0 && point.changed > 0));
  });

  parityCases('stored');

  it('retention past a 24 h raw window thins the same rows on both', async () => {
    const result = await same((s) => s.retention.apply({ now: timeAt(STEPS - 1), rawWindowHours: 24, historyDays: 90, pinnedHotkeys: [pinned] })) as { neuronRows: number };
    assert.ok(result.neuronRows > 4 * 1000, JSON.stringify(result));
  });

  parityCases('after retention');

  it('a 1-day history window, the size budget and point pruning remove the same on both', async () => {
    const results = await same(async (s) => [
      await s.retention.apply({ now: timeAt(STEPS - 1), rawWindowHours: 12, historyDays: 1, pinnedHotkeys: [] }),
      await s.retention.evictOldest(50 * 1024, [pinned]),
      await s.retention.prunePoints(blockAt(6)),
    ]) as [{ rollupRows: number; snapshots: number }, number, number];
    assert.ok(results[0].rollupRows > 0 && results[1] > 0 && results[2] > 0, JSON.stringify(results));
  });

  parityCases('after eviction');

  it('a snapshot of another chain switches the scope on both', async () => {
    await same(async (s) => [await s.chain.connectedTo(TESTNET), await s.chain.scope(), await s.chain.elsewhere(), await s.history.overview(1, HEAD)]);
  });
});
