import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import type { SubnetListing } from '../../src/core/bittensor/bittensorStore';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { Store } from '../../src/core/store/sqlite/store';
import { deriveMetagraph } from '../support/derivedMetagraphs';
import { FINNEY_GENESIS, recordedMetagraphSnapshot } from '../support/replayNode';

/**
 * The Subnets view after the endpoint moved to another chain (issue 9): the old chain's list and snapshots are kept
 * but are not shown as current; pointing back at the old chain shows them again.
 */

const TESTNET = `0x${'7e57'.repeat(16)}`;
const snapshot = recordedMetagraphSnapshot();

function listing(netuid: number, name: string): SubnetListing {
  return { netuid, name, tempo: 99, uids: 256, maxUids: 256, maxValidators: 64, burnRao: 1_000_000, priceTao: 0.01 };
}

test('rows of another chain are kept out of the summaries and counted apart, and come back with their chain', async () => {
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
  try {
    const bittensor = createSqliteBittensorStore(store.db);
    const { subnets, chain } = bittensor;
    const now = 1_800_000_000;
    const summaries = async () => (await subnets.summaries([1], snapshot.block)).map((summary) => [summary.netuid, summary.name, summary.latestSnapshotBlock]);

    // Stored before chains were recorded: no genesis yet, shown as current.
    await recordSnapshot(bittensor, snapshot, { now, headBlock: snapshot.block });
    await subnets.replaceListing([listing(1, 'Apex'), listing(64, 'Chutes')], snapshot.block, null);
    assert.equal(await chain.current(), null);
    assert.deepEqual(await summaries(), [[1, 'Apex', snapshot.block], [64, 'Chutes', null]]);

    // The first connection adopts those rows for its chain.
    assert.deepEqual(await chain.connectedTo(FINNEY_GENESIS), { changed: false, previous: null });
    assert.deepEqual(await summaries(), [[1, 'Apex', snapshot.block], [64, 'Chutes', null]]);
    assert.deepEqual(await chain.elsewhere(), { subnets: 0, chains: [] });

    // Another chain: nothing of finney is current, and the view can say what is kept.
    assert.deepEqual(await chain.connectedTo(TESTNET), { changed: true, previous: FINNEY_GENESIS });
    assert.deepEqual(await summaries(), []);
    assert.deepEqual(await subnets.listing(), []);
    assert.equal(await chain.latestBlock(1), null);
    assert.deepEqual(await chain.netuids(), []);
    assert.deepEqual(await chain.elsewhere(), { subnets: 2, chains: [FINNEY_GENESIS] });

    // The testnet's own snapshot of netuid 1 (at a block number of its own) is current there.
    const testnetSnapshot = deriveMetagraph(snapshot, { block: 1_200 });
    await recordSnapshot(bittensor, testnetSnapshot, { now, headBlock: 1_200 }, TESTNET);
    assert.deepEqual(await summaries(), [[1, 'Apex', 1_200]]);
    assert.equal(await chain.latestBlock(1), 1_200);

    // Back on finney: its rows again, the testnet's kept apart.
    assert.deepEqual(await chain.connectedTo(FINNEY_GENESIS), { changed: true, previous: TESTNET });
    assert.deepEqual(await summaries(), [[1, 'Apex', snapshot.block], [64, 'Chutes', null]]);
    assert.deepEqual((await subnets.listing()).map((row) => row.name), ['Apex', 'Chutes']);
    assert.equal(await chain.latestBlock(1), snapshot.block);
    assert.deepEqual(await chain.elsewhere(), { subnets: 1, chains: [TESTNET] });
  } finally {
    store.close();
  }
});
