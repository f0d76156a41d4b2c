import type { MetagraphSnapshot, NeuronRow } from '../../src/core/bittensor/model';
import { deriveMetagraph } from './derivedMetagraphs';
import { recordedMetagraphSnapshot } from './replayNode';

/**
 * Stored history for the weights panel's tests. The only weights recorded on finney are netuid 23's at block
 * 3,264,158 (UID 10 gives all its weight to itself) and the only metagraph recorded is netuid 1's, so the snapshots
 * are the recorded netuid 1 metagraph relabelled netuid 23, then derived one explicit step at a time, 1,000 blocks
 * apart, ending 1,000 blocks before the weights seed's head (the replay node, as an archive node, answers every past
 * block with the recorded weights). What happens: UIDs 0–2 move stake in known patterns; UID 10 leaves at the third
 * snapshot and comes back at the fourth; UID 10's coldkey carries `identity`.
 */
export const WEIGHTS_HEAD = 3_264_158;
export const WEIGHTS_NETUID = 23;
export const HISTORY_STEPS = 5;
export const blockOfStep = (k: number) => WEIGHTS_HEAD - 1_000 * (HISTORY_STEPS - k);
/** Stake of UIDs 0, 1 and 2 added at each step (0: rising, 1: falling, 2: up and down). */
export const STAKE_MOVES: Record<number, readonly number[]> = { 0: [0, 100, 200, 300, 400], 1: [0, -50, -100, -150, -200], 2: [0, 30, 10, 40, 20] };
export const VALIDATOR_UID = 10;
export const LEFT_AT_STEP = 2;

export function weightsHistoryScene(identity: string): { snapshots: MetagraphSnapshot[]; validatorHotkey: string } {
  const recorded = recordedMetagraphSnapshot();
  const base: MetagraphSnapshot = { ...recorded, netuid: WEIGHTS_NETUID };
  const validator = base.neurons.find((neuron) => neuron.uid === VALIDATOR_UID)!;
  const at = (uid: number) => base.neurons.find((neuron) => neuron.uid === uid)!;
  const snapshots: MetagraphSnapshot[] = [];
  for (let k = 0; k < HISTORY_STEPS; k++) {
    const previous = snapshots[k - 1] ?? base;
    const set: { uid: number; fields: Partial<NeuronRow> }[] = [0, 1, 2].map((uid) => ({
      uid, fields: { stake: at(uid).stake + STAKE_MOVES[uid][k], stakeAlpha: at(uid).stakeAlpha + STAKE_MOVES[uid][k] },
    }));
    if (k === 0) set.push({ uid: VALIDATOR_UID, fields: { identity } });
    snapshots.push(deriveMetagraph(previous, {
      block: blockOfStep(k),
      set,
      ...(k === LEFT_AT_STEP ? { deregister: [VALIDATOR_UID] } : {}),
      ...(k === LEFT_AT_STEP + 1 ? { register: [{ uid: VALIDATOR_UID, hotkey: validator.hotkey, coldkey: validator.coldkey, identity }] } : {}),
    }));
  }
  return { snapshots, validatorHotkey: validator.hotkey };
}

/** Pearson by the one-pass textbook formula (the engine uses two passes): the tests' independent figure. */
export function onePassPearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const sxy = sum(xs.map((x, i) => x * ys[i]));
  return (n * sxy - sum(xs) * sum(ys)) / Math.sqrt((n * sum(xs.map((x) => x * x)) - sum(xs) ** 2) * (n * sum(ys.map((y) => y * y)) - sum(ys) ** 2));
}
