import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { ChainGenesisRepo } from '../../src/core/store/sqlite/bittensor/chainGenesisRepo';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { applyRetention } from '../../src/core/store/sqlite/bittensor/snapshotRetention';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { runCliInProcess } from '../support/cliRun';
import { deriveMetagraph } from '../support/derivedMetagraphs';
import { FINNEY_GENESIS, recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * Two chains in one database (issue 13): finney's netuid 1 and a testnet's netuid 1, snapshotted at the same block
 * numbers (the testnet also one block further), saved through the engine's own save path. Each chain's history,
 * read through the CLI with that chain current, equals what is computed here from that chain's snapshots alone.
 */

const TESTNET = `0x${'7e57'.repeat(16)}`;
const STEPS = 6;
const STEP_BLOCKS = 3_600; // half a day: two steps make the 24 h (7,200-block) comparison
const STEP_SECONDS = 43_200;
const T0 = 1_800_000_000;
const B0 = 6_800_000;
const blockAt = (k: number) => B0 + STEP_BLOCKS * k;
const timeAt = (k: number) => T0 + STEP_SECONDS * k;
const dayOf = (time: number) => Math.floor(time / 86_400);
const rao = (amount: number) => Math.round(amount * 1e9);
const permits = (s: MetagraphSnapshot) => s.neurons.filter((n) => n.validatorPermit).length;

/** Finney: stake flows into UID 0 and the register cost climbs slowly. */
function finney(): MetagraphSnapshot[] {
  const base = recordedMetagraphSnapshot();
  const out = [deriveMetagraph(base, { block: blockAt(0), burnTao: 0.001 })];
  for (let k = 1; k < STEPS; k++) {
    const uid0 = out[k - 1].neurons[0];
    out.push(deriveMetagraph(out[k - 1], { block: blockAt(k), burnTao: 0.001 + 0.0001 * k, set: [{ uid: 0, fields: { stake: uid0.stake + 10, stakeAlpha: uid0.stakeAlpha + 10 } }] }));
  }
  return out;
}

/** The testnet: half the UIDs, another register cost and stake, and one snapshot more (its head is ahead). */
function testnet(): MetagraphSnapshot[] {
  const base = deriveMetagraph(recordedMetagraphSnapshot(), { block: blockAt(0), deregister: Array.from({ length: 512 }, (_, i) => 512 + i) });
  const out = [deriveMetagraph(base, { block: blockAt(0), burnTao: 2 })];
  for (let k = 1; k <= STEPS; k++) {
    out.push(deriveMetagraph(out[k - 1], { block: blockAt(k), burnTao: 2 + 0.5 * k, set: [{ uid: 0, fields: { stake: 7 * k, stakeAlpha: 7 * k, stakeTao: 0 } }] }));
  }
  return out;
}

describe('history of two chains in one database', () => {
  const chains = { [FINNEY_GENESIS]: finney(), [TESTNET]: testnet() };
  let dir: string;
  const dbOf: Record<string, string> = {};

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-chains-'));
    const shared = path.join(dir, 'shared.db');
    const { store } = await Store.open({ path: shared, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
    const bittensor = createSqliteBittensorStore(store.db);
    // Interleaved, block by block, as two engines sharing a database would write them.
    for (let k = 0; k <= STEPS; k++) {
      for (const [genesis, history] of Object.entries(chains)) {
        if (history[k]) await recordSnapshot(bittensor, history[k], { now: timeAt(k), headBlock: history[k].block }, genesis);
      }
    }
    applyRetention(store.db, { now: timeAt(STEPS - 1), rawWindowHours: 24, historyDays: 90, pinnedHotkeys: [] });
    store.markDirty();
    await store.close();
    // One copy per chain, each with its chain current (as the endpoint's last connection leaves it).
    for (const genesis of Object.keys(chains)) {
      dbOf[genesis] = path.join(dir, `${genesis.slice(0, 10)}.db`);
      fs.copyFileSync(shared, dbOf[genesis]);
      const copy = await Store.open({ path: dbOf[genesis], migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
      new ChainGenesisRepo(copy.store.db).connectedTo(genesis);
      copy.store.markDirty();
      await copy.store.close();
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cliJson = async (genesis: string, args: string[]) => {
    const run = await runCliInProcess([...args, '--json', '--db', dbOf[genesis]]);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };

  for (const [genesis, name] of [[FINNEY_GENESIS, 'finney'], [TESTNET, 'the testnet']] as const) {
    it(`keeps ${name}'s snapshot at a block the other chain also has, and its metagraph is its own`, async () => {
      const history = chains[genesis];
      for (const k of [STEPS - 2, STEPS - 1]) {
        const snapshot = await cliJson(genesis, ['metagraph', '--netuid', '1', '--block', String(blockAt(k))]);
        assert.equal(snapshot.block, blockAt(k));
        assert.equal(snapshot.neurons.length, history[k].neurons.length);
        assert.equal(snapshot.burnTao, history[k].burnTao);
        assert.equal(snapshot.neurons[0].stake, history[k].neurons[0].stake);
      }
    });

    it(`gives ${name}'s overview and register-cost change from its own snapshots only`, async () => {
      const history = chains[genesis];
      const newest = history.at(-1)!;
      const dayBefore = history.filter((s) => s.block <= newest.block - 7_200).at(-1)!;
      const overview = await cliJson(genesis, ['overview', '--netuid', '1']);
      assert.deepEqual([overview.newestBlock, overview.comparedBlock, overview.n, overview.validators], [newest.block, dayBefore.block, newest.n, permits(newest)]);
      assert.equal(overview.burnTao, newest.burnTao);
      assert.ok(Math.abs(overview.burnChange24hTao - (rao(newest.burnTao!) - rao(dayBefore.burnTao!)) / 1e9) < 1e-12, `${overview.burnChange24hTao}`);
      assert.equal(overview.validatorsChange24h, permits(newest) - permits(dayBefore));
      assert.equal(overview.minersChange24h, (newest.n - permits(newest)) - (dayBefore.n - permits(dayBefore)));
      assert.equal(overview.snapshots.stored, history.length);
      assert.equal(overview.snapshots.oldestBlock, blockAt(0));
    });

    it(`groups ${name}'s newest snapshot and its grouping over its own raw snapshots`, async () => {
      const history = chains[genesis];
      const groups = await cliJson(genesis, ['groups', '--netuid', '1', '--by', 'coldkey']);
      assert.equal(groups.block, history.at(-1)!.block);
      assert.equal(groups.total, new Set(history.at(-1)!.neurons.map((n) => n.coldkey)).size);
      const raw = history.map((_, k) => k).filter((k) => timeAt(k) >= timeAt(STEPS - 1) - 86_400);
      assert.deepEqual(groups.history.map((p: { block: number; groups: number }) => [p.block, p.groups]),
        raw.map((k) => [blockAt(k), new Set(history[k].neurons.map((n) => n.coldkey)).size]));
    });

    it(`traces ${name}'s UID 0 from its own rollups and raw snapshots`, async () => {
      const history = chains[genesis];
      // Retention ran at the finney's newest time: the last 24 h are raw, the days before only daily rollups.
      const raw = history.map((_, k) => k).filter((k) => timeAt(k) >= timeAt(STEPS - 1) - 86_400);
      const firstRawDay = dayOf(timeAt(raw[0]));
      const days = [...new Set(history.map((_, k) => dayOf(timeAt(k))))].filter((day) => day < firstRawDay);
      const lastOfDay = (day: number) => Math.max(...history.map((_, k) => k).filter((k) => dayOf(timeAt(k)) === day));
      const expected = [
        ...days.map((day) => ({ block: blockAt(lastOfDay(day)), time: day * 86_400, value: rao(history[lastOfDay(day)].neurons[0].stake) / 1e9, daily: true })),
        ...raw.map((k) => ({ block: blockAt(k), time: timeAt(k), value: rao(history[k].neurons[0].stake) / 1e9, daily: false })),
      ];
      assert.ok(days.length > 0 && raw.length > 1, 'both parts of the trace are tested');
      const traces = await cliJson(genesis, ['history', '--netuid', '1', '--uid', '0', '--field', 'stake']);
      assert.deepEqual(traces.series[0].points, expected);
    });
  }
});
