import type { BlockRange } from './subnetHistoryModel';

/** The stored units the history queries scale back (snapshotRepo keeps u16 scores and RAO). */
export const U16 = 65_535;
export const RAO = 1e9;
export const SECONDS_PER_DAY = 86_400;

/** [from, to] with open ends filled: every stored block. */
export function blockBounds(range: BlockRange): [number, number] {
  return [range.fromBlock ?? 0, range.toBlock ?? Number.MAX_SAFE_INTEGER];
}

/** A page size asked for by a client, held inside [1, max]; `fallback` when none was asked for. */
export function boundedCount(asked: number | undefined, fallback: number, max: number): number {
  if (asked === undefined || !Number.isFinite(asked)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(asked)));
}

/**
 * Names that choose a column or a join reach SQL only through fixed tables keyed by them; a name from a client that
 * is not one of them is refused here with the choices, never looked up (`constructor` is a key of every object).
 */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${what} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
}
