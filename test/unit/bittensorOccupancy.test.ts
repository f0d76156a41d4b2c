import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import { occupancyOf, type MetagraphSnapshot } from '../../src/core/bittensor/model';
import { SnapshotRepo } from '../../src/core/store/sqlite/bittensor/snapshotRepo';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/** DESIGN.md "Occupancy", computed here from the neurons themselves rather than from the snapshot's counters. */
function expectedOccupancy(snapshot: MetagraphSnapshot) {
  const permits = snapshot.neurons.filter((neuron) => neuron.validatorPermit).length;
  return {
    validators: { used: permits, max: snapshot.maxValidators },
    miners: { used: snapshot.neurons.length - permits, max: snapshot.maxUids! - permits },
  };
}

describe('bittensor slot occupancy (DESIGN.md: miners hold the UIDs validators do not)', () => {
  const recorded = recordedMetagraphSnapshot();
  let store: Store;

  before(async () => {
    ({ store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] }));
  });
  after(() => store.close());

  it('reads a full subnet (netuid 1, 1,024 of 1,024 UIDs, 12 permits) as 12/128 validators and 1012/1012 miners', () => {
    assert.equal(recorded.neurons.length, 1024);
    assert.equal(recorded.maxUids, 1024);
    assert.deepEqual(recorded.occupancy, expectedOccupancy(recorded));
    assert.deepEqual(recorded.occupancy, { validators: { used: 12, max: 128 }, miners: { used: 1012, max: 1012 } });
  });

  it('gives the same occupancy for the snapshot read back from the store', () => {
    const repo = new SnapshotRepo(store.db);
    repo.save(recorded, { takenAt: 1_800_000_000, blockTime: 1_800_000_000 });
    assert.deepEqual(repo.read(repo.find(1)!).occupancy, expectedOccupancy(recorded));
  });

  it('frees miner slots as validators lose permits, and counts empty UIDs as available miner slots', () => {
    // 1,000 UIDs registered, 5 of them validators, of 1,024: 995 miners in 1,019 miner slots.
    assert.deepEqual(occupancyOf(1_000, 5, 1_024, 64), { validators: { used: 5, max: 64 }, miners: { used: 995, max: 1_019 } });
  });

  it('never reports more slots used than available, even where the chain lowered a maximum below what is held', () => {
    for (const [n, permits, maxUids, maxValidators] of [[1_024, 12, 1_024, 128], [256, 64, 256, 64], [300, 70, 256, 64], [0, 0, 256, 64]] as const) {
      const { validators, miners } = occupancyOf(n, permits, maxUids, maxValidators);
      assert.ok(validators.used <= validators.max!, `validators ${validators.used}/${validators.max}`);
      assert.ok(miners.used <= miners.max!, `miners ${miners.used}/${miners.max}`);
      assert.equal(miners.used, n - permits);
      assert.equal(validators.used, permits);
    }
  });
});
