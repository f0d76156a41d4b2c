import type { ChurnPoint } from './subnetHistoryModel';

/**
 * One complete snapshot against the complete one before it, from their [uid, hotkey id] pairs (either store reads
 * them; the comparison is the same). A hotkey holds one UID of a subnet at a time, so added / removed are set
 * differences of hotkeys and `changed` compares UID by UID.
 */
export function churnPoint(
  previous: { readonly block: number; readonly neurons: readonly [number, number][] },
  current: { readonly block: number; readonly time: number; readonly neurons: readonly [number, number][] },
): ChurnPoint {
  const before = new Set(previous.neurons.map(([, hotkey]) => hotkey));
  const after = new Set(current.neurons.map(([, hotkey]) => hotkey));
  const previousAt = new Map(previous.neurons);
  let added = 0;
  let changed = 0;
  for (const [uid, hotkey] of current.neurons) {
    if (!before.has(hotkey)) added++;
    const was = previousAt.get(uid);
    if (was !== undefined && was !== hotkey) changed++;
  }
  let removed = 0;
  for (const hotkey of before) if (!after.has(hotkey)) removed++;
  return { block: current.block, time: current.time, previousBlock: previous.block, added, removed, changed };
}
