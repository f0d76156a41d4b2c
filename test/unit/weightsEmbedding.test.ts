import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWeightsMatrix, type RawWeightRow } from '../../src/core/bittensor/weightsAnalysis';
import { embedByCosine, signNormalised } from '../../src/core/bittensor/weightsEmbedding';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/** Eigenpairs of a symmetric matrix by cyclic Jacobi rotations: another algorithm than the engine's power iteration. */
function jacobiEigen(input: number[][]): { values: number[]; vectors: number[][] } {
  const n = input.length;
  const a = input.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y][y] - a[x][x]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

/**
 * Classical MDS as the textbook writes it, from the rows themselves: unit rows, squared Euclidean distances between
 * them, B = −½·J·D²·J, then Jacobi.
 */
function textbookMds(rows: number[][]): { points: number[][]; explained: number[] } {
  const unit = rows.map((row) => {
    const length = Math.hypot(...row);
    return row.map((x) => x / length);
  });
  const n = unit.length;
  const d2 = unit.map((a) => unit.map((b) => a.reduce((sum, x, k) => sum + (x - b[k]) ** 2, 0)));
  const j = (r: number, c: number) => (r === c ? 1 : 0) - 1 / n;
  const jd = d2.map((_, r) => d2.map((__, c) => d2.reduce((sum, row, k) => sum + j(r, k) * row[c], 0)));
  const b = jd.map((_, r) => jd.map((__, c) => -0.5 * jd[r].reduce((sum, x, k) => sum + x * j(k, c), 0)));
  const { values, vectors } = jacobiEigen(b);
  const trace = values.reduce((sum, x) => sum + x, 0);
  const axes = [0, 1].map((axis) => signNormalised(vectors[axis]).map((x) => x * Math.sqrt(Math.max(0, values[axis]))));
  return { points: rows.map((_, i) => [axes[0][i], axes[1][i]]), explained: [values[0] / trace, values[1] / trace] };
}

function denseRows(raw: readonly RawWeightRow[], width: number): number[][] {
  return raw.map((row) => {
    const dense = new Array<number>(width).fill(0);
    for (const [target, value] of row.weights) dense[target] = value;
    return dense;
  });
}

function assertPointsClose(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((point, i) => point.forEach((x, axis) => assert.ok(Math.abs(x - expected[i][axis]) <= tolerance, `point ${i} axis ${axis}: ${x} ≠ ${expected[i][axis]}`)));
}

describe('2-D embedding of validators from their weight rows (classical MDS)', () => {
  it('puts two identical rows on one point and an orthogonal one √2 away, on the first axis (hand-checked)', () => {
    const cosine = [1, 1, 0, 1, 1, 0, 0, 0, 1];
    const result = embedByCosine([4, 5, 6], cosine);
    const r2 = Math.SQRT2;
    assertPointsClose(result.points, [[-r2 / 3, 0], [-r2 / 3, 0], [(2 * r2) / 3, 0]], 1e-9);
    assert.ok(Math.abs(result.explained[0] - 1) < 1e-9 && Math.abs(result.explained[1]) < 1e-9);
    assert.deepEqual(result.uids, [4, 5, 6]);
  });

  it('keeps the chord distances between rows that span a plane', () => {
    const angles = [0, 0.3, 0.9, 1.2, Math.PI / 2];
    const rows = angles.map((angle) => [Math.cos(angle), Math.sin(angle)]);
    const cosine = rows.flatMap((a) => rows.map((b) => a[0] * b[0] + a[1] * b[1]));
    const { points } = embedByCosine(angles.map((_, i) => i), cosine);
    for (let a = 0; a < rows.length; a++) {
      for (let b = 0; b < rows.length; b++) {
        const chord = Math.hypot(rows[a][0] - rows[b][0], rows[a][1] - rows[b][1]);
        assert.ok(Math.abs(Math.hypot(points[a][0] - points[b][0], points[a][1] - points[b][1]) - chord) < 1e-9, `${a}–${b}`);
      }
    }
  });

  it('equals the textbook MDS of random weight rows (Jacobi on −½·J·D²·J), signs included', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const raw: RawWeightRow[] = Array.from({ length: 24 }, (_, uid) => ({
      uid, weights: Array.from({ length: 40 }, (_, target) => [target, Math.round(65_535 * random() ** (1 + (uid % 3)))] as const),
    }));
    const matrix = buildWeightsMatrix(1, 1, raw, null);
    const byUid = new Map(raw.map((row) => [row.uid, row]));
    const expected = textbookMds(denseRows(matrix.agreement.uids.map((uid) => byUid.get(uid)!), 40));
    const result = embedByCosine(matrix.agreement.uids, matrix.agreement.cosine);
    assertPointsClose(result.points, expected.points, 1e-6);
    assert.ok(Math.abs(result.explained[0] - expected.explained[0]) < 1e-9);
    assert.ok(Math.abs(result.explained[1] - expected.explained[1]) < 1e-9);
  });

  it('equals the textbook MDS of validators weighting the recorded netuid 1 miners in three camps, which it pulls apart', () => {
    const snapshot = recordedMetagraphSnapshot();
    const miners = snapshot.neurons.filter((neuron) => !neuron.validatorPermit && neuron.stake > 0);
    const validators = snapshot.neurons.filter((neuron) => neuron.validatorPermit);
    // As in the clusters test, with a little of each validator's own UID mixed in, so that no two rows are equal.
    const raw: RawWeightRow[] = validators.map((validator, index) => ({
      uid: validator.uid,
      weights: miners.map((miner, m) => [miner.uid, m % 3 === index % 3 ? 0 : Math.max(1, Math.round(Math.sqrt(miner.stake) * (1 + ((m * 7 + index * 13) % 10) / 50)))] as const),
    }));
    const matrix = buildWeightsMatrix(1, snapshot.block, raw, snapshot.neurons);
    const width = Math.max(...miners.map((miner) => miner.uid)) + 1;
    const byUid = new Map(raw.map((row) => [row.uid, row]));
    const expected = textbookMds(denseRows(matrix.agreement.uids.map((uid) => byUid.get(uid)!), width));
    const result = embedByCosine(matrix.agreement.uids, matrix.agreement.cosine);
    assertPointsClose(result.points, expected.points, 1e-6);
    // Camps are tight and apart: every validator is nearer to its own camp's centre than to another's.
    const camp = (uid: number) => validators.findIndex((v) => v.uid === uid) % 3;
    const centres = [0, 1, 2].map((c) => {
      const members = result.points.filter((_, i) => camp(result.uids[i]) === c);
      return [0, 1].map((axis) => members.reduce((sum, p) => sum + p[axis], 0) / members.length);
    });
    result.points.forEach((point, i) => {
      const distances = centres.map((centre) => Math.hypot(point[0] - centre[0], point[1] - centre[1]));
      assert.equal(distances.indexOf(Math.min(...distances)), camp(result.uids[i]), `UID ${result.uids[i]}`);
    });
  });

  it('is the same on every run and for one row', () => {
    assert.deepEqual(embedByCosine([9], [1]).points, [[0, 0]]);
    const cosine = [1, 0.2, 0.4, 0.2, 1, 0.6, 0.4, 0.6, 1];
    assert.deepEqual(embedByCosine([1, 2, 3], cosine), embedByCosine([1, 2, 3], cosine));
  });
});
