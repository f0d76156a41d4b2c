import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterByCosine, clusterOrder } from '../../src/core/bittensor/weightsClusters';
import { buildWeightsMatrix, type RawWeightRow } from '../../src/core/bittensor/weightsAnalysis';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/** A symmetric cosine matrix with 1 on the diagonal from its upper triangle, given pair by pair. */
function cosineOf(n: number, pairs: Record<string, number>, otherwise = 0.1): number[] {
  const matrix = new Array<number>(n * n).fill(otherwise);
  for (let i = 0; i < n; i++) matrix[i * n + i] = 1;
  for (const [pair, value] of Object.entries(pairs)) {
    const [a, b] = pair.split('-').map(Number);
    matrix[a * n + b] = matrix[b * n + a] = value;
  }
  return matrix;
}

/**
 * The same clustering by its definition, without the Lance–Williams update: each step recomputes every pair of
 * clusters' mean cosine from the original matrix and merges the highest (lowest indices on a tie).
 */
function naiveAverageLinkage(n: number, cosine: readonly number[], threshold: number): number[][] {
  let clusters = Array.from({ length: n }, (_, i) => [i]);
  for (;;) {
    let best: { mean: number; a: number; b: number } | undefined;
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let sum = 0;
        for (const i of clusters[a]) for (const j of clusters[b]) sum += cosine[i * n + j];
        const mean = sum / (clusters[a].length * clusters[b].length);
        if (!best || mean > best.mean) best = { mean, a, b };
      }
    }
    if (!best || best.mean < threshold) break;
    const merged = [...clusters[best.a], ...clusters[best.b]].sort((x, y) => x - y);
    clusters = clusters.filter((_, k) => k !== best!.a && k !== best!.b).concat([merged]).sort((x, y) => x[0] - y[0]);
  }
  return clusters.sort((x, y) => y.length - x.length || x[0] - y[0]);
}

describe('clusters of validators by the cosine of their weights', () => {
  it('groups two camps and leaves the others apart (hand-checked)', () => {
    // 0–1 agree (0.95), 2 agrees with both (0.92, 0.91: mean 0.915 to {0, 1}); 3–4 agree (0.97); 5 agrees with nobody.
    const cosine = cosineOf(6, { '0-1': 0.95, '0-2': 0.92, '1-2': 0.91, '3-4': 0.97 });
    const result = clusterByCosine([10, 11, 12, 13, 14, 15], cosine, 0.9);
    assert.deepEqual(result.clusters.map((cluster) => cluster.uids), [[10, 11, 12], [13, 14], [15]]);
    assert.ok(Math.abs(result.clusters[0].meanCosine - (0.95 + 0.92 + 0.91) / 3) < 1e-12);
    assert.equal(result.clusters[1].meanCosine, 0.97);
    assert.equal(result.clusters[2].meanCosine, 1);
    assert.deepEqual(clusterOrder(result), [10, 11, 12, 13, 14, 15]);
  });

  it('does not chain: A~B and B~C do not put A and C together when they disagree (average, not single linkage)', () => {
    const cosine = cosineOf(3, { '0-1': 0.95, '1-2': 0.95, '0-2': 0.5 });
    // The tie between 0–1 and 1–2 goes to the lower indices; C's mean to {A, B} is 0.725.
    assert.deepEqual(clusterByCosine([7, 8, 9], cosine, 0.9).clusters.map((cluster) => cluster.uids), [[7, 8], [9]]);
    assert.deepEqual(clusterByCosine([7, 8, 9], cosine, 0.7).clusters.map((cluster) => cluster.uids), [[7, 8, 9]]);
  });

  it('reorders the heatmap so that each cluster is one block, largest first', () => {
    const cosine = cosineOf(5, { '0-3': 0.99, '1-4': 0.98, '1-2': 0.96, '2-4': 0.97 });
    const result = clusterByCosine([0, 1, 2, 3, 4], cosine, 0.9);
    assert.deepEqual(result.clusters.map((cluster) => cluster.uids), [[1, 2, 4], [0, 3]]);
    assert.deepEqual(clusterOrder(result), [1, 2, 4, 0, 3]);
  });

  it('equals the clustering recomputed from its definition on random weight rows', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const raw: RawWeightRow[] = Array.from({ length: 40 }, (_, uid) => {
      // Four camps, each weighting its own quarter of 64 targets, with noise.
      const camp = uid % 4;
      return { uid, weights: Array.from({ length: 64 }, (_, target) => [target, Math.round(65_535 * ((Math.floor(target / 16) === camp ? 1 : 0.05) * random()))] as const) };
    });
    const { agreement } = buildWeightsMatrix(1, 1, raw, null);
    for (const threshold of [0.5, 0.7, 0.8, 0.9]) {
      const expected = naiveAverageLinkage(agreement.uids.length, agreement.cosine, threshold).map((rows) => rows.map((row) => agreement.uids[row]));
      assert.deepEqual(clusterByCosine(agreement.uids, agreement.cosine, threshold).clusters.map((cluster) => cluster.uids), expected, `threshold ${threshold}`);
    }
  });

  it('finds the three camps of validators built from the recorded netuid 1 metagraph', () => {
    const snapshot = recordedMetagraphSnapshot();
    const miners = snapshot.neurons.filter((neuron) => !neuron.validatorPermit && neuron.stake > 0);
    const validators = snapshot.neurons.filter((neuron) => neuron.validatorPermit);
    assert.ok(miners.length >= 30 && validators.length >= 9, `${miners.length} miners, ${validators.length} validators`);
    // The recorded metagraph's miners weighted by their recorded stake (its incentives are all 0), each camp of its
    // recorded validators ignoring its own third of them.
    const campOf = (index: number) => index % 3;
    const raw: RawWeightRow[] = validators.map((validator, index) => ({
      uid: validator.uid,
      weights: miners.map((miner, m) => [miner.uid, m % 3 === campOf(index) ? 0 : Math.max(1, Math.round(Math.sqrt(miner.stake)))] as const),
    }));
    const matrix = buildWeightsMatrix(1, snapshot.block, raw, snapshot.neurons);
    const expected = [0, 1, 2].map((camp) => matrix.agreement.uids.filter((uid) => campOf(validators.findIndex((v) => v.uid === uid)) === camp));
    const found = clusterByCosine(matrix.agreement.uids, matrix.agreement.cosine, 0.99).clusters.map((cluster) => [...cluster.uids]);
    assert.deepEqual(found.map((uids) => [...uids].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]), expected.map((uids) => [...uids].sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]));
  });
});
