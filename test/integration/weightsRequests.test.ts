import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import { startReplayNode, type ReplayNode } from '../support/replayNode';
import {
  blockOfStep, HISTORY_STEPS, LEFT_AT_STEP, onePassPearson, STAKE_MOVES, VALIDATOR_UID, WEIGHTS_NETUID, weightsHistoryScene,
} from '../support/weightsHistoryScene';

/*
 * The weights panel's engine requests against the replay node as an archive node (weights seed: netuid 23, UID 10
 * gives all its weight to itself, answered at every past block) and five stored snapshots derived from the recorded
 * metagraph (test/support/weightsHistoryScene.ts), saved through the engine's own save path (chain unknown, adopted
 * by the chain the engine connects to). Expected figures are
 * computed here from the snapshot objects.
 */

const IDENTITY = '<img src=x onerror="alert(1)">Validator & Co';
const T0 = 1_800_000_000;

describe('weights panel requests over stored snapshots and an archive node', () => {
  const { snapshots, validatorHotkey } = weightsHistoryScene(IDENTITY);
  let dir: string;
  let node: ReplayNode;
  let engine: Engine;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-weights-'));
    const dbPath = path.join(dir, 'weights.db');
    const { store } = await Store.open({ path: dbPath, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
    const bittensor = createSqliteBittensorStore(store.db);
    for (const [k, snapshot] of snapshots.entries()) await recordSnapshot(bittensor, snapshot, { now: T0 + 12_000 * k, headBlock: snapshot.block });
    store.markDirty();
    await store.close();
    node = await startReplayNode({ seed: 'weights', archive: true });
    engine = await Engine.start({ dbPath, settings: { subtensorEndpoint: node.url, archiveEndpoint: node.url, relays: [] }, collect: false },
      { notify: () => undefined, log: silentLogger });
  });

  after(async () => {
    await engine?.dispose();
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the stored snapshot blocks, newest first', async () => {
    const blocks = await engine.call('bittensor.snapshotBlocks', { netuid: WEIGHTS_NETUID });
    assert.deepEqual(blocks.map((entry) => entry.block), snapshots.map((s) => s.block).reverse());
  });

  it('reads the matrix at a stored block from the archive node, with that snapshot\'s hotkeys, clusters, map and names', async () => {
    const matrix = await engine.call('bittensor.weights', { netuid: WEIGHTS_NETUID, block: blockOfStep(1) });
    assert.equal(matrix.block, blockOfStep(1));
    assert.deepEqual(matrix.rows.map((row) => [row.uid, row.hotkey, row.stake]), [[VALIDATOR_UID, validatorHotkey, snapshots[1].neurons.find((n) => n.uid === VALIDATOR_UID)!.stake]]);
    assert.deepEqual(matrix.structure.clusters, { threshold: 0.9, clusters: [{ uids: [VALIDATOR_UID], meanCosine: 1 }] });
    assert.deepEqual(matrix.structure.embedding, { uids: [VALIDATOR_UID], points: [[0, 0]], explained: [0, 0] });
    assert.deepEqual(matrix.structure.identities, [{ uid: VALIDATOR_UID, name: IDENTITY }]);
    // At the block where UID 10 had left, its row has no stored hotkey (and no identity).
    const gone = await engine.call('bittensor.weights', { netuid: WEIGHTS_NETUID, block: blockOfStep(LEFT_AT_STEP) });
    assert.equal(gone.rows[0].hotkey, null);
    assert.deepEqual(gone.structure.identities, []);
  });

  it('follows a validator over the stored snapshots, reading its row at each block, with nothing where it was not registered', async () => {
    const before = node.requests.filter((request) => request.method === 'state_getKeysPaged').length;
    const history = await engine.call('bittensor.weightsHistory', { netuid: WEIGHTS_NETUID, hotkey: validatorHotkey, top: 5 });
    assert.deepEqual(history.targets, [VALIDATOR_UID]);
    assert.deepEqual(history.points, snapshots.map((snapshot, k) => ({
      block: snapshot.block, uid: k === LEFT_AT_STEP ? null : VALIDATOR_UID, weights: [k === LEFT_AT_STEP ? 0 : 1], rest: 0,
    })));
    // One chain read per block where the hotkey held a UID.
    assert.equal(node.requests.filter((request) => request.method === 'state_getKeysPaged').length - before, HISTORY_STEPS - 1);
    const sampled = await engine.call('bittensor.weightsHistory', { netuid: WEIGHTS_NETUID, hotkey: validatorHotkey, maxPoints: 2 });
    assert.deepEqual(sampled.points.map((point) => point.block), [blockOfStep(0), blockOfStep(HISTORY_STEPS - 1)]);
  });

  it('correlates the stake series of chosen hotkeys over the snapshots they share', async () => {
    const hotkeys = [0, 1, 2].map((uid) => snapshots[0].neurons.find((n) => n.uid === uid)!.hotkey);
    const result = await engine.call('bittensor.stakeCorrelation', { netuid: WEIGHTS_NETUID, select: { hotkeys } });
    assert.deepEqual(result.series.map((s) => s.hotkey), hotkeys);
    const stakes = [0, 1, 2].map((uid) => snapshots.map((s) => s.neurons.find((n) => n.uid === uid)!.stake));
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const r = result.coefficients[a * 3 + b];
        assert.ok(r !== null && Math.abs(r - onePassPearson(stakes[a], stakes[b])) < 1e-9, `${a}–${b}: ${r}`);
        assert.equal(result.aligned[a * 3 + b], HISTORY_STEPS);
      }
    }
    // The derived moves: UID 0 gains what UID 1 loses twice over, at every step, so exactly −1.
    assert.ok(STAKE_MOVES[0].every((move, k) => move + 2 * STAKE_MOVES[1][k] === 0));
    assert.ok(Math.abs(result.coefficients[1]! + 1) < 1e-9);
  });

  it('names the reason when the node cannot serve a past block', async () => {
    node.setPruned(true);
    try {
      await assert.rejects(engine.call('bittensor.weights', { netuid: WEIGHTS_NETUID, block: blockOfStep(0) - 5_000 }), /no longer has the state of block \d+: it is a pruned \(non-archive\) node/);
    } finally {
      node.setPruned(false);
    }
  });
});
