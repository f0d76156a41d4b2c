import type { WeightRow, WeightsMatrix } from '../../src/protocol/bittensorProtocol';

/**
 * Dense grids behind the two heatmaps, built once per matrix. No DOM here, so it is testable in node.
 * A grid is row-major: `values[row * cols + col]`.
 */
export interface Grid {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array;
}

export interface WeightGrid extends Grid {
  /** Largest weight in the matrix. */
  readonly max: number;
  /** The colour scale saturates here: the 99th percentile of the set weights, so one 100% row does not wash out the rest. */
  readonly cap: number;
  /** Weights set (non-zero cells). */
  readonly set: number;
  /** Where the largest weight is, for the canvas' summary. */
  readonly maxAt: { readonly row: number; readonly col: number } | null;
  /** Weights naming a UID that is not among `targets`: dropped from the grid and counted, never silently lost. */
  readonly unplaced: number;
}

/** Grids larger than this (64 × 1,024 is 65,536) are refused rather than freezing the webview. */
export const MAX_CELLS = 4_194_304;

export function weightGrid(matrix: WeightsMatrix): WeightGrid {
  const rows = matrix.rows.length;
  const cols = matrix.targets.length;
  if (rows * cols > MAX_CELLS) throw new Error(`the matrix has ${rows} × ${cols} cells, more than ${MAX_CELLS.toLocaleString('en-US')} can be drawn`);
  const columnOf = new Map<number, number>(matrix.targets.map((uid, index) => [uid, index]));
  const values = new Float32Array(rows * cols);
  const setWeights: number[] = [];
  let max = 0;
  let maxAt: WeightGrid['maxAt'] = null;
  let unplaced = 0;
  matrix.rows.forEach((row, rowIndex) => {
    for (const [target, weight] of row.weights) {
      const col = columnOf.get(target);
      if (col === undefined) {
        unplaced++;
        continue;
      }
      values[rowIndex * cols + col] = weight;
      if (weight > 0) setWeights.push(weight);
      if (weight > max) {
        max = weight;
        maxAt = { row: rowIndex, col };
      }
    }
  });
  return { rows, cols, values, max, cap: percentile(setWeights, 0.99) || max, set: setWeights.length, maxAt, unplaced };
}

export function cosineGrid(matrix: WeightsMatrix): Grid {
  const n = matrix.agreement.uids.length;
  return { rows: n, cols: n, values: Float32Array.from(matrix.agreement.cosine) };
}

/** Colour position 0–1 of a weight: square-root scale up to the cap, so small weights still show. 0 means unset. */
export function weightIntensity(weight: number, cap: number): number {
  if (!(weight > 0) || !(cap > 0)) return 0;
  return Math.sqrt(Math.min(1, weight / cap));
}

/** Colour position of a cosine: linear over 0–1 (weights are non-negative, so cosines are too). */
export function cosineIntensity(cosine: number): number {
  return Math.max(0, Math.min(1, cosine));
}

/** "12.3%", with more digits for the small weights of 1,024-UID subnets. */
export function percentText(weight: number): string {
  const pct = weight * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return `${pct.toFixed(3)}%`;
  if (pct < 1) return `${pct.toFixed(2)}%`;
  return `${pct.toFixed(1)}%`;
}

/** Hotkeys are SS58 text from the chain: shortened for display, rendered as text only. */
export function shortHotkey(hotkey: string | null): string {
  if (!hotkey) return '–';
  return hotkey.length > 12 ? `${hotkey.slice(0, 8)}…` : hotkey;
}

/** The hover text of a weights cell: "validator UID 5 (5F3sa2TJ…) → UID 17: 12.3%". */
export function describeWeight(row: WeightRow, target: number, weight: number): string {
  const who = row.hotkey ? `validator UID ${row.uid} (${shortHotkey(row.hotkey)})` : `validator UID ${row.uid}`;
  return `${who} → UID ${target}: ${percentText(weight)}`;
}

/** Lowest agreement with consensus first: the outliers lead the table. */
export function outliersFirst<T extends { readonly uid: number; readonly cosine: number }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.cosine - b.cosine || a.uid - b.uid);
}

/** Median and lowest off-diagonal cosine, for the agreement canvas' summary. */
export function cosineSummary(grid: Grid, uids: readonly number[]): { median: number; lowest: { a: number; b: number; cosine: number } } | null {
  const pairs: number[] = [];
  let lowest: { a: number; b: number; cosine: number } | null = null;
  for (let row = 0; row < grid.rows; row++) {
    for (let col = row + 1; col < grid.cols; col++) {
      const cosine = grid.values[row * grid.cols + col];
      pairs.push(cosine);
      if (!lowest || cosine < lowest.cosine) lowest = { a: uids[row], b: uids[col], cosine };
    }
  }
  if (!lowest) return null;
  return { median: percentile(pairs, 0.5), lowest };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
}
