import type { Churn, GroupPoint, HotkeyChange, KeyGroup, MetagraphSnapshot } from './model';

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

/** Hotkeys sharing a coldkey or an axon IP (the "cabals" view), largest groups first. */
export function groupsOf(snapshot: MetagraphSnapshot, by: 'coldkey' | 'ip'): KeyGroup[] {
  const groups = new Map<string, number[]>();
  for (const neuron of snapshot.neurons) {
    const key = by === 'coldkey' ? neuron.coldkey : neuron.axon?.ip;
    if (!key) continue;
    const uids = groups.get(key);
    if (uids) uids.push(neuron.uid);
    else groups.set(key, [neuron.uid]);
  }
  return [...groups]
    .map(([key, uids]) => ({ key, hotkeys: uids.length, uids }))
    .sort((a, b) => b.hotkeys - a.hotkeys || a.key.localeCompare(b.key));
}

export function groupPointOf(snapshot: MetagraphSnapshot, by: 'coldkey' | 'ip'): GroupPoint {
  const groups = groupsOf(snapshot, by);
  return {
    block: snapshot.block,
    groups: groups.length,
    largest: groups[0]?.hotkeys ?? 0,
    grouped: groups.filter((group) => group.hotkeys > 1).reduce((sum, group) => sum + group.hotkeys, 0),
  };
}
