import { describeError } from '../util/errors';
import type { MetagraphSnapshot } from './model';

export interface BackfillRange {
  readonly netuid: number;
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly step: number;
}

export interface BackfillProgress {
  readonly netuid: number;
  readonly done: number;
  readonly total: number;
  readonly block: number;
}

/** The blocks a backfill reads: fromBlock, fromBlock + step, …, toBlock (always included). Bounded to 10,000. */
export function backfillBlocks(range: BackfillRange): number[] {
  const { fromBlock, toBlock, step } = range;
  if (!Number.isInteger(fromBlock) || !Number.isInteger(toBlock) || fromBlock < 0 || toBlock < fromBlock) {
    throw new RangeError(`backfill needs 0 ≤ fromBlock ≤ toBlock (got ${fromBlock}…${toBlock})`);
  }
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`backfill step must be a positive integer (got ${step})`);
  const count = Math.floor((toBlock - fromBlock) / step) + 1;
  if (count > 10_000) throw new RangeError(`backfill of ${count} snapshots is too large; use a larger step (at most 10,000 snapshots)`);
  const blocks: number[] = [];
  for (let block = fromBlock; block <= toBlock; block += step) blocks.push(block);
  if (blocks[blocks.length - 1] !== toBlock) blocks.push(toBlock);
  return blocks;
}

export class BackfillCancelled extends Error {}

/** How a backfill run ended, as the engine announces it (a run may outlive the request that started it). */
export interface BackfillEnd {
  readonly netuid: number;
  readonly outcome: 'done' | 'cancelled' | 'failed';
  /** Snapshots read and stored before the end. */
  readonly stored: number;
  readonly total: number;
  readonly message: string;
}

/** The end of a run that stored `stored` of `total` snapshots; `error` is what stopped it early, if anything did. */
export function backfillEnd(range: BackfillRange, stored: number, total: number, error?: unknown): BackfillEnd {
  const { netuid } = range;
  if (error === undefined) {
    return { netuid, outcome: 'done', stored, total, message: `Backfilled ${stored} snapshots of subnet ${netuid} (blocks ${range.fromBlock}–${range.toBlock} every ${range.step}).` };
  }
  if (error instanceof BackfillCancelled) return { netuid, outcome: 'cancelled', stored, total, message: `Backfill of subnet ${netuid} cancelled after ${stored} of ${total} snapshots.` };
  return { netuid, outcome: 'failed', stored, total, message: `Backfill of subnet ${netuid} stopped after ${stored} of ${total} snapshots: ${describeError(error)}` };
}

/**
 * Reads snapshots of past blocks one by one, reporting progress; stops between blocks when `signal` aborts. A
 * state-discarded error ends the run with its clear message (every later block would fail the same way).
 */
export async function runBackfill(
  range: BackfillRange,
  read: (block: number) => Promise<MetagraphSnapshot>,
  store: (snapshot: MetagraphSnapshot) => void | Promise<void>,
  progress: (update: BackfillProgress) => void,
  signal: AbortSignal,
): Promise<number> {
  const blocks = backfillBlocks(range);
  let stored = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (signal.aborted) throw new BackfillCancelled(`backfill of subnet ${range.netuid} cancelled after ${stored} of ${blocks.length} snapshots`);
    const snapshot = await read(blocks[i]);
    await store(snapshot);
    stored++;
    progress({ netuid: range.netuid, done: i + 1, total: blocks.length, block: blocks[i] });
  }
  return stored;
}
