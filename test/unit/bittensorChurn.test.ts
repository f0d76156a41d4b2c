import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { churnBetween } from '../../src/core/bittensor/churn';
import { hotkeyAlerts } from '../../src/core/bittensor/hotkeyAlerts';
import { occupancyOf, type MetagraphSnapshot, type NeuronRow } from '../../src/core/bittensor/model';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/** A later snapshot built from the recorded one: UID 3 re-registered, UID 1023 gone, one more validator permit. */
function laterSnapshot(base: MetagraphSnapshot): MetagraphSnapshot {
  const neurons: NeuronRow[] = base.neurons
    .filter((neuron) => neuron.uid !== 1023)
    .map((neuron) => (neuron.uid === 3 ? { ...neuron, hotkey: '5NewHotkeyNewHotkeyNewHotkeyNewHotkeyNewHotkey3' } : neuron))
    .map((neuron) => (neuron.uid === 10 ? { ...neuron, validatorPermit: true } : neuron));
  const validators = neurons.filter((neuron) => neuron.validatorPermit).length;
  return { ...base, block: base.block + 100, neurons, n: neurons.length, validators, occupancy: occupancyOf(neurons.length, validators, base.maxUids, base.maxValidators) };
}

describe('bittensor churn and occupancy', () => {
  const first = recordedMetagraphSnapshot();
  const second = laterSnapshot(first);

  it('finds added, removed and replaced hotkeys between two snapshots', () => {
    const churn = churnBetween(first, second);
    assert.equal(churn.fromBlock, 6_852_690);
    assert.equal(churn.toBlock, 6_852_790);
    assert.deepEqual(churn.added, ['5NewHotkeyNewHotkeyNewHotkeyNewHotkeyNewHotkey3']);
    assert.deepEqual(new Set(churn.removed), new Set([first.neurons[3].hotkey, first.neurons[1023].hotkey]));
    assert.deepEqual(churn.changed, [{ uid: 3, from: first.neurons[3].hotkey, to: '5NewHotkeyNewHotkeyNewHotkeyNewHotkeyNewHotkey3' }]);
  });

  it('reports validator and miner slot occupancy on both sides', () => {
    const churn = churnBetween(first, second);
    assert.deepEqual(churn.occupancy.from, { validators: { used: 12, max: 128 }, miners: { used: 1012, max: 1012 } });
    assert.deepEqual(churn.occupancy.to, { validators: { used: 13, max: 128 }, miners: { used: 1010, max: 1011 } });
  });

  it('finds no churn between a snapshot and itself', () => {
    const churn = churnBetween(first, { ...first, block: first.block + 1 });
    assert.deepEqual([churn.added, churn.removed, churn.changed], [[], [], []]);
  });
});

describe('bittensor watched-hotkey alerts', () => {
  const first = recordedMetagraphSnapshot();
  const validator = first.neurons.find((neuron) => neuron.validatorPermit)!;
  // At this block every UID with incentive also held a permit; give a miner some so that its drop can be seen.
  const miner = { ...first.neurons.find((neuron) => !neuron.validatorPermit)!, incentive: 0.02 };
  const before = { ...first, neurons: first.neurons.map((n) => (n.uid === miner.uid ? miner : n)) };

  it('raises deregistered when a watched hotkey leaves the subnet', () => {
    const second = laterSnapshot(first);
    const alerts = hotkeyAlerts([first.neurons[3].hotkey], first, second, second.block);
    assert.deepEqual(alerts.map((alert) => alert.kind), ['deregistered']);
    assert.match(alerts[0].message, /UID 3/);
  });

  it('raises incentive-drop when incentive falls below half', () => {
    const second = { ...first, block: first.block + 100, neurons: first.neurons.map((n) => (n.uid === miner.uid ? { ...n, incentive: miner.incentive * 0.4 } : n)) };
    const alerts = hotkeyAlerts([miner.hotkey], before, second, second.block);
    assert.deepEqual(alerts.map((alert) => alert.kind), ['incentive-drop']);
    const mild = { ...first, neurons: first.neurons.map((n) => (n.uid === miner.uid ? { ...n, incentive: miner.incentive * 0.6 } : n)) };
    assert.deepEqual(hotkeyAlerts([miner.hotkey], before, mild, first.block), []);
  });

  it('raises weights-stale for a validator more than 1,500 blocks behind the head', () => {
    assert.deepEqual(hotkeyAlerts([validator.hotkey], undefined, first, validator.lastUpdate + 1_500), []);
    const alerts = hotkeyAlerts([validator.hotkey], undefined, first, validator.lastUpdate + 1_501);
    assert.deepEqual(alerts.map((alert) => alert.kind), ['weights-stale']);
  });
});
