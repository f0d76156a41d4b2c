import { normalisedWeights, type RawWeightRow } from './weightsAnalysis';
import type { ValidatorWeightsHistory } from './weightsModel';

export const WEIGHTS_HISTORY_POINTS_DEFAULT = 16;
/** Each point is a chain read of the whole matrix at that block (seconds on a remote archive node). */
export const WEIGHTS_HISTORY_POINTS_MAX = 64;
export const WEIGHTS_HISTORY_TOP_MAX = 32;

/** Where a validator's past rows come from: the stored snapshots (which UID the hotkey held) and the chain. */
export interface WeightsHistorySource {
  /** The hotkey's UID in the stored snapshot at `block`, or null when it was not registered then. */
  uidAt(block: number): Promise<number | null>;
  /** The weights `uid` had set at `block`, read from the chain (null: none set). */
  readRow(block: number, uid: number): Promise<RawWeightRow | null>;
}

/**
 * A validator's weights at each of `blocks` (stored snapshot blocks, oldest first), charted over the `top` targets
 * it gave the most weight to, summed over all the points; the rest is one figure per point. The hotkey's UID is
 * looked up in each snapshot, so a validator that moved UID is followed.
 */
export async function validatorWeightsHistory(
  netuid: number,
  hotkey: string,
  blocks: readonly number[],
  top: number,
  source: WeightsHistorySource,
): Promise<ValidatorWeightsHistory> {
  const read: { block: number; uid: number | null; weights: Map<number, number> }[] = [];
  for (const block of blocks) {
    const uid = await source.uidAt(block);
    const row = uid === null ? null : await source.readRow(block, uid);
    read.push({ block, uid, weights: new Map(row ? normalisedWeights(row.weights) : []) });
  }
  const totals = new Map<number, number>();
  for (const point of read) for (const [target, weight] of point.weights) totals.set(target, (totals.get(target) ?? 0) + weight);
  const targets = [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, Math.max(0, top)).map(([target]) => target);
  return {
    netuid,
    hotkey,
    targets,
    points: read.map(({ block, uid, weights }) => {
      const charted = targets.map((target) => weights.get(target) ?? 0);
      const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
      return { block, uid, weights: charted, rest: Math.max(0, total - charted.reduce((sum, weight) => sum + weight, 0)) };
    }),
  };
}

/** At most `max` of `values`, spread evenly and always keeping the first and the last. */
export function sampleEvenly<T>(values: readonly T[], max: number): T[] {
  if (values.length <= max) return [...values];
  if (max <= 1) return values.slice(-1);
  const picked: T[] = [];
  for (let i = 0; i < max; i++) picked.push(values[Math.round((i * (values.length - 1)) / (max - 1))]);
  return picked;
}
