import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { hotkeyAlerts } from '../../src/core/bittensor/hotkeyAlerts';
import { untoldAlerts } from '../../src/core/bittensor/untoldAlerts';
import { AlertStateRepo } from '../../src/core/store/sqlite/state/alertStateRepo';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { deriveMetagraph } from '../support/derivedMetagraphs';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/**
 * Which watched-hotkey alerts are told, over the recorded netuid 1 metagraph and its derived successors. The state
 * lives in the database: a store closed and opened again (an engine restart) does not tell an ongoing condition twice.
 */

const snapshot = recordedMetagraphSnapshot();
const HEAD = snapshot.block;
// UID 395: a validator whose weights are 4.3 million blocks old in the recording; UID 24's are fresh.
const stale = snapshot.neurons.find((neuron) => neuron.uid === 395)!;
const fresh = snapshot.neurons.find((neuron) => neuron.uid === 24)!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-alerts-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function open(file: string) {
  const { store } = await Store.open({ path: file, migrations: [...coreMigrations, ...bittensorMigrations] });
  return { store, state: new AlertStateRepo(store.db) };
}

test('an ongoing condition is told once, also after the store is closed and opened again; it is told again after it ended', async () => {
  const file = path.join(dir, 'ongoing.db');
  const watched = [stale.hotkey, fresh.hotkey];
  let { store, state } = await open(file);
  const found = hotkeyAlerts(watched, undefined, snapshot, HEAD);
  assert.deepEqual(found.map((alert) => [alert.kind, alert.hotkey]), [['weights-stale', stale.hotkey]]);
  const first = untoldAlerts(state, 1, HEAD, found, 1_000);
  assert.deepEqual(first.untold.map((alert) => alert.hotkey), [stale.hotkey]);
  assert.equal(untoldAlerts(state, 1, HEAD, found, 1_001).untold.length, 0, 'not twice in one run');
  await store.flush();
  store.close();

  ({ store, state } = await open(file));
  const again = untoldAlerts(state, 1, HEAD + 100, hotkeyAlerts(watched, undefined, snapshot, HEAD + 100), 2_000);
  assert.deepEqual([again.untold.length, again.ongoing.map((alert) => alert.hotkey)], [0, [stale.hotkey]], 'after a restart: ongoing, not new');

  // The validator sets weights: the condition ends (and is forgotten); when it comes back it is told again.
  const caughtUp = deriveMetagraph(snapshot, { block: HEAD + 200, set: [{ uid: 395, fields: { lastUpdate: HEAD + 190 } }] });
  assert.deepEqual(untoldAlerts(state, 1, caughtUp.block, hotkeyAlerts(watched, snapshot, caughtUp, HEAD + 200), 3_000).untold, []);
  const lapsed = hotkeyAlerts([stale.hotkey], caughtUp, caughtUp, HEAD + 5_000);
  assert.deepEqual(untoldAlerts(state, 1, caughtUp.block, lapsed, 4_000).untold.map((alert) => alert.hotkey), [stale.hotkey]);
  store.close();
});

test('an event is told once per snapshot block; a condition on one subnet does not end another subnet\'s', async () => {
  const { store, state } = await open(path.join(dir, 'events.db'));
  const gone = deriveMetagraph(snapshot, { block: HEAD + 100, deregister: [fresh.uid] });
  const deregistered = hotkeyAlerts([fresh.hotkey], snapshot, gone, HEAD + 100);
  assert.deepEqual(deregistered.map((alert) => alert.kind), ['deregistered']);
  assert.equal(untoldAlerts(state, 1, gone.block, deregistered, 1).untold.length, 1);
  assert.equal(untoldAlerts(state, 1, gone.block, deregistered, 2).untold.length, 0, 'the same block again (a re-taken snapshot)');
  assert.equal(untoldAlerts(state, 1, gone.block + 100, deregistered, 3).untold.length, 1, 'a later block is a new event');
  assert.equal(state.list('bittensor:deregistered:').length, 1, 'one key per hotkey and kind, not one per block');

  const onSubnet1 = hotkeyAlerts([stale.hotkey], undefined, snapshot, HEAD);
  untoldAlerts(state, 1, HEAD, onSubnet1, 4);
  untoldAlerts(state, 10, HEAD, [], 5);
  assert.equal(untoldAlerts(state, 1, HEAD, onSubnet1, 6).untold.length, 0, 'subnet 10 had no alerts; subnet 1\'s goes on');
  store.close();
});
