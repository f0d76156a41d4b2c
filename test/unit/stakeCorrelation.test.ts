import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_ALIGNED, pearson, stakeCorrelation } from '../../src/core/bittensor/stakeCorrelation';
import type { Traces, TraceSeries } from '../../src/core/bittensor/subnetHistoryModel';

function series(key: string, points: [block: number, value: number | null][]): TraceSeries {
  return { key, hotkey: key, coldkey: null, uid: null, points: points.map(([block, value]) => ({ block, time: block * 12, value, daily: false })) };
}

function traces(...all: TraceSeries[]): Traces {
  return { netuid: 1, field: 'stake', rawFromBlock: 0, series: all };
}

/** Pearson by the one-pass textbook formula, r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)). */
function onePass(xs: number[], ys: number[]): number {
  const n = xs.length;
  const sx = xs.reduce((a, b) => a + b, 0);
  const sy = ys.reduce((a, b) => a + b, 0);
  const sxy = xs.reduce((a, x, i) => a + x * ys[i], 0);
  const sxx = xs.reduce((a, x) => a + x * x, 0);
  const syy = ys.reduce((a, y) => a + y * y, 0);
  return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

describe('correlation of stake series', () => {
  it('is 1 for series rising together, −1 for opposite ones, and 1 on the diagonal (hand-checked)', () => {
    const result = stakeCorrelation(traces(
      series('up', [[10, 1], [20, 2], [30, 3], [40, 4]]),
      series('double', [[10, 2], [20, 4], [30, 6], [40, 8]]),
      series('down', [[10, 40], [20, 30], [30, 20], [40, 10]]),
    ));
    assert.deepEqual(result.series.map((s) => s.key), ['up', 'double', 'down']);
    assert.deepEqual(result.coefficients.map((r) => (r === null ? null : Math.round(r * 1e12) / 1e12)), [1, 1, -1, 1, 1, -1, -1, -1, 1]);
    assert.deepEqual(result.aligned, [4, 4, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('pairs only the snapshots both series have, and says nothing under three of them or for a flat series', () => {
    const result = stakeCorrelation(traces(
      series('a', [[10, 1], [20, 5], [30, 2], [40, 8], [50, null]]),
      // Registered at block 20: shares 20, 30, 40 with a (50 has no value in a).
      series('b', [[20, 3], [30, 1], [40, 9], [50, 4]]),
      series('flat', [[10, 7], [20, 7], [30, 7], [40, 7]]),
      series('late', [[40, 1], [50, 2]]),
    ));
    const at = (a: number, b: number) => result.coefficients[a * 4 + b];
    assert.ok(Math.abs(at(0, 1)! - onePass([5, 2, 8], [3, 1, 9])) < 1e-12);
    assert.equal(result.aligned[0 * 4 + 1], 3);
    assert.equal(at(0, 2), null, 'a flat series has no correlation');
    assert.equal(at(2, 2), null);
    assert.equal(result.aligned[0 * 4 + 3], 1);
    assert.equal(at(0, 3), null, `fewer than ${MIN_ALIGNED} shared snapshots`);
    assert.equal(at(1, 0), at(0, 1), 'symmetric');
  });

  it('equals the one-pass formula on random stake series of a million TAO', () => {
    let seed = 5;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let trial = 0; trial < 20; trial++) {
      const xs = Array.from({ length: 50 }, () => 1e6 + random() * 1e4);
      const ys = xs.map((x) => 2e6 - x * random());
      assert.ok(Math.abs(pearson(xs, ys)! - onePass(xs, ys)) < 1e-6, `trial ${trial}`);
    }
  });
});
