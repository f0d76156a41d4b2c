import type { Traces } from './subnetHistoryModel';
import type { StakeCorrelation } from './weightsModel';

/** Two points always lie on a line: a coefficient needs at least three shared snapshots to say anything. */
export const MIN_ALIGNED = 3;

/**
 * Pearson correlation between every two stake series of `traces`, each pair over the snapshots (blocks) where both
 * have a value: a hotkey registered later is compared over the time both existed, not padded with zeros.
 */
export function stakeCorrelation(traces: Traces): StakeCorrelation {
  const byBlock = traces.series.map((series) => {
    const values = new Map<number, number>();
    for (const point of series.points) if (point.value !== null && Number.isFinite(point.value)) values.set(point.block, point.value);
    return values;
  });
  const k = byBlock.length;
  const coefficients = new Array<number | null>(k * k).fill(null);
  const aligned = new Array<number>(k * k).fill(0);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (const [block, x] of byBlock[a]) {
        const y = byBlock[b].get(block);
        if (y !== undefined) {
          xs.push(x);
          ys.push(y);
        }
      }
      const r = xs.length >= MIN_ALIGNED ? pearson(xs, ys) : null;
      coefficients[a * k + b] = coefficients[b * k + a] = r;
      aligned[a * k + b] = aligned[b * k + a] = xs.length;
    }
  }
  return {
    netuid: traces.netuid,
    series: traces.series.map(({ key, hotkey, uid }) => ({ key, hotkey, uid })),
    coefficients,
    aligned,
  };
}

/** Two-pass Pearson coefficient; null when either series is flat (its variance is zero). */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    const dy = ys[i] - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  // Relative to the values' size: stake in the millions leaves rounding noise in a "flat" series.
  const flat = (variance: number, mean: number) => variance <= 1e-24 * Math.max(1, mean * mean) * n;
  if (flat(varianceX, meanX) || flat(varianceY, meanY)) return null;
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceX * varianceY)));
}
