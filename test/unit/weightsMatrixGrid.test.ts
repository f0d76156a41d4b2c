import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WeightsMatrix } from '../../src/protocol/bittensorProtocol';
import {
  cosineGrid, cosineSummary, describeWeight, outliersFirst, percentText, shortHotkey, weightGrid, weightIntensity,
} from '../../webview/weights/matrixGrid';

const HOTKEY = '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX';

function matrix(rows: [number, [number, number][]][], targets: number[]): WeightsMatrix {
  const uids = rows.map(([uid]) => uid);
  return {
    netuid: 1,
    block: 100,
    rows: rows.map(([uid, weights]) => ({ uid, hotkey: uid === 4 ? HOTKEY : null, stake: null, validatorPermit: null, lastUpdate: null, weights })),
    targets,
    agreement: { uids, cosine: uids.flatMap((_, i) => uids.map((__, j) => (i === j ? 1 : 0.5 + i * 0.1 + j * 0.1))), withConsensus: [], nearDuplicates: [] },
  };
}

test('the weight grid is dense and row-major in the matrix order, with weights naming an unknown UID counted', () => {
  const grid = weightGrid(matrix([[4, [[0, 0.75], [9, 0.25]]], [2, [[7, 1]]], [11, [[3, 0.5], [9, 0.5]]]], [0, 7, 9]));
  assert.equal(grid.rows, 3);
  assert.equal(grid.cols, 3);
  assert.deepEqual([...grid.values], [0.75, 0, 0.25, 0, 1, 0, 0, 0, 0.5]);
  assert.equal(grid.set, 4);
  assert.equal(grid.unplaced, 1, 'UID 3 is not a column');
  assert.equal(grid.max, 1);
  assert.deepEqual(grid.maxAt, { row: 1, col: 1 });
});

test('the colour scale saturates at the 99th percentile, so one 100% row does not wash out the others', () => {
  const rows: [number, [number, number][]][] = [[0, [[0, 1]]]];
  for (let uid = 1; uid <= 200; uid++) rows.push([uid, Array.from({ length: 100 }, (_, t) => [t, 0.01] as [number, number])]);
  const grid = weightGrid(matrix(rows, Array.from({ length: 100 }, (_, t) => t)));
  assert.equal(grid.max, 1);
  assert.ok(Math.abs(grid.cap - 0.01) < 1e-9, `cap ${grid.cap}`);
  assert.ok(Math.abs(weightIntensity(0.01, grid.cap) - 1) < 1e-6);
  assert.ok(Math.abs(weightIntensity(0.0025, grid.cap) - 0.5) < 1e-3, 'square-root scale: a quarter of the cap is half way');
  assert.equal(weightIntensity(0, grid.cap), 0, 'unset stays unset');
  assert.equal(weightIntensity(1, grid.cap), 1, 'above the cap saturates');
});

test('hover text reads "validator UID x (hotkey…) → UID y: 12.3%"', () => {
  const m = matrix([[4, [[17, 0.123]]], [5, [[17, 0.0004]]]], [17]);
  assert.equal(describeWeight(m.rows[0], 17, 0.123), 'validator UID 4 (5F3sa2TJ…) → UID 17: 12.3%');
  assert.equal(describeWeight(m.rows[1], 17, 0.0004), 'validator UID 5 → UID 17: 0.040%');
  assert.equal(percentText(0), '0%');
  assert.equal(percentText(0.005), '0.50%');
  assert.equal(shortHotkey(null), '–');
  assert.equal(shortHotkey('short'), 'short');
});

test('outliers come first; the cosine summary finds the median and the lowest pair', () => {
  assert.deepEqual(outliersFirst([{ uid: 1, cosine: 0.9 }, { uid: 3, cosine: 0.2 }, { uid: 2, cosine: 0.9 }]).map((e) => e.uid), [3, 1, 2]);
  const m = matrix([[10, [[0, 1]]], [20, [[0, 1]]], [30, [[0, 1]]]], [0]);
  const grid = cosineGrid(m);
  assert.equal(grid.rows, 3);
  const summary = cosineSummary(grid, m.agreement.uids);
  // Off-diagonal pairs: (0,1)=0.6, (0,2)=0.7, (1,2)=0.8.
  assert.ok(summary);
  assert.ok(Math.abs(summary.median - 0.7) < 1e-6);
  assert.deepEqual({ a: summary.lowest.a, b: summary.lowest.b }, { a: 10, b: 20 });
  assert.equal(cosineSummary(cosineGrid(matrix([[1, []]], [])), [1]), null, 'one row has no pair');
});
