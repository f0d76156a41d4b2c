import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { Store } from '../../src/core/store/sqlite/store';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import { deriveMetagraph, halfDayStepsEndingAnHourAgo } from '../support/derivedMetagraphs';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * The engine's maintenance pass reaches the Bittensor rows through the store seam (issue 14): snapshots older than
 * the raw window are thinned (no longer complete), the newest is kept whole, and what the views read follows.
 * Five snapshots of netuid 1, twelve hours apart and ending an hour ago, with a 24 h raw window.
 */

const STEPS = 5;
const { now: NOW, blockAt, timeAt } = halfDayStepsEndingAnHourAgo(STEPS);

describe('bittensor maintenance through the engine', () => {
  const history: MetagraphSnapshot[] = [];
  let dir: string;
  let engine: Engine | undefined;

  before(async () => {
    for (let k = 0; k < STEPS; k++) history.push(deriveMetagraph(recordedMetagraphSnapshot(), { block: blockAt(k) }));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-bittensor-maintenance-'));
    const db = path.join(dir, 'maintenance.db');
    const { store } = await Store.open({ path: db, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
    const bittensor = createSqliteBittensorStore(store.db);
    for (const [k, snapshot] of history.entries()) await recordSnapshot(bittensor, snapshot, { now: timeAt(k), headBlock: snapshot.block });
    store.markDirty();
    await store.close();
    engine = await Engine.start(
      { dbPath: db, settings: { relays: [], trackedSubnets: [], rawWindowHours: 24, historyDays: 90 }, collect: false },
      { notify: () => undefined, log: silentLogger },
    );
  });

  after(async () => {
    await engine?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('thins snapshots past the raw window and keeps the newest whole', async () => {
    const blocks = async () => (await engine!.call('bittensor.snapshotBlocks', { netuid: 1 })).map((point) => point.block);
    assert.deepEqual(await blocks(), [4, 3, 2, 1, 0].map(blockAt));
    assert.equal((await engine!.call('bittensor.metagraph', { netuid: 1, block: blockAt(1) }))?.block, blockAt(1));

    await engine!.maintain(NOW);

    // Steps 3 and 4 (13 h and 1 h old) are inside the 24 h window; the older ones are thinned.
    assert.deepEqual(await blocks(), [4, 3].map(blockAt));
    assert.equal(await engine!.call('bittensor.metagraph', { netuid: 1, block: blockAt(2) }), null);
    const newest = await engine!.call('bittensor.metagraph', { netuid: 1 });
    assert.equal(newest?.neurons.length, history[4].neurons.length);
  });
});
