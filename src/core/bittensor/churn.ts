import type { Churn, HotkeyChange, MetagraphSnapshot } from './model';

/**
 * Churn between two snapshots of one subnet: hotkeys that appeared, hotkeys that left, and UIDs whose hotkey was
 * replaced (a deregistration followed by a registration into the same slot).
 */
export function churnBetween(previous: MetagraphSnapshot, current: MetagraphSnapshot): Churn {
  if (previous.netuid !== current.netuid) throw new Error(`churn needs one subnet, not ${previous.netuid} and ${current.netuid}`);
  const before = new Set(previous.neurons.map((neuron) => neuron.hotkey));
  const after = new Set(current.neurons.map((neuron) => neuron.hotkey));
  const previousByUid = new Map(previous.neurons.map((neuron) => [neuron.uid, neuron.hotkey]));
  const changed: HotkeyChange[] = [];
  for (const neuron of current.neurons) {
    const from = previousByUid.get(neuron.uid);
    if (from !== undefined && from !== neuron.hotkey) changed.push({ uid: neuron.uid, from, to: neuron.hotkey });
  }
  return {
    netuid: current.netuid,
    fromBlock: previous.block,
    toBlock: current.block,
    added: [...after].filter((hotkey) => !before.has(hotkey)),
    removed: [...before].filter((hotkey) => !after.has(hotkey)),
    changed,
    occupancy: { from: previous.occupancy, to: current.occupancy },
  };
}

