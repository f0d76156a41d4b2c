import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NeuronRow } from '../../src/core/bittensor/model';
import { buildWeightsMatrix, MAX_AGREEMENT_ROWS, validatorAgreement } from '../../src/core/bittensor/weightsAnalysis';

function neuron(uid: number, stake: number): NeuronRow {
  return {
    uid, hotkey: `hotkey-${uid}`, coldkey: `coldkey-${uid}`, active: true, validatorPermit: stake > 0, stake, stakeAlpha: stake, stakeTao: 0,
    rank: 0, trust: 0, consensus: 0, incentive: 0, dividends: 0, validatorTrust: 0, emission: 0, lastUpdate: 100 + uid, registrationBlock: 1, axon: null,
  };
}

describe('weights matrix', () => {
  it('normalises each row to sum to 1, drops zero weights and orders rows by stake', () => {
    const matrix = buildWeightsMatrix(7, 500, [
      { uid: 0, weights: [[5, 65_535], [3, 65_535], [9, 0]] },
      { uid: 2, weights: [[3, 16_383], [4, 65_535]] },
      { uid: 1, weights: [] },
    ], [neuron(0, 10), neuron(1, 0), neuron(2, 300)]);
    assert.deepEqual(matrix.rows.map((row) => row.uid), [2, 0, 1]);
    assert.deepEqual(matrix.rows[1].weights, [[3, 0.5], [5, 0.5]]);
    const [first, second] = matrix.rows[0].weights;
    assert.equal(first[0], 3);
    assert.ok(Math.abs(first[1] - 16_383 / 81_918) < 1e-12);
    assert.ok(Math.abs(first[1] + second[1] - 1) < 1e-12);
    assert.deepEqual(matrix.targets, [3, 4, 5]);
    assert.equal(matrix.rows[0].hotkey, 'hotkey-2');
    assert.equal(matrix.rows[0].lastUpdate, 102);
    // A row with no weights is listed but takes no part in agreement.
    assert.deepEqual(matrix.agreement.uids, [2, 0]);
  });

  it('without a snapshot, rows have no hotkey or stake and keep UID order', () => {
    const matrix = buildWeightsMatrix(7, 500, [{ uid: 4, weights: [[1, 1]] }, { uid: 3, weights: [[1, 1]] }], null);
    assert.deepEqual(matrix.rows.map((row) => [row.uid, row.hotkey, row.stake]), [[3, null, null], [4, null, null]]);
  });

  it('finds copied weights and the validator furthest from the stake-weighted consensus', () => {
    const honest = [[1, 30_000], [2, 65_535], [3, 20_000]] as const;
    const matrix = buildWeightsMatrix(1, 10, [
      { uid: 10, weights: honest },
      { uid: 11, weights: honest.map(([t, w]) => [t, Math.round(w * 0.5)] as const) }, // same direction, scaled: cosine 1
      { uid: 12, weights: [[1, 25_000], [2, 65_535], [3, 25_000]] },
      { uid: 13, weights: [[7, 65_535]] }, // weights a UID nobody else does
    ], [neuron(10, 1_000), neuron(11, 900), neuron(12, 800), neuron(13, 10)]);
    const { agreement } = matrix;
    assert.deepEqual(agreement.uids, [10, 11, 12, 13]);
    const n = agreement.uids.length;
    for (let i = 0; i < n; i++) {
      assert.equal(agreement.cosine[i * n + i], 1);
      for (let j = 0; j < n; j++) assert.equal(agreement.cosine[i * n + j], agreement.cosine[j * n + i]);
    }
    assert.equal(agreement.cosine[0 * n + 3], 0);
    assert.equal(agreement.nearDuplicates[0].a, 10);
    assert.equal(agreement.nearDuplicates[0].b, 11);
    assert.ok(agreement.nearDuplicates[0].cosine > 0.9999);
    assert.ok(agreement.nearDuplicates.every((pair) => pair.cosine >= 0.99));
    assert.equal(agreement.withConsensus[0].uid, 13);
    assert.ok(agreement.withConsensus[0].cosine < 0.01);
    assert.ok(agreement.withConsensus.at(-1)!.cosine > 0.99);
  });

  it('bounds agreement to the rows with the most stake', () => {
    const rows = Array.from({ length: MAX_AGREEMENT_ROWS + 10 }, (_, uid) => ({ uid, weights: [[uid % 3, 65_535]] as const }));
    const neurons = rows.map(({ uid }) => neuron(uid, uid + 1));
    const matrix = buildWeightsMatrix(1, 10, rows, neurons);
    assert.equal(matrix.agreement.uids.length, MAX_AGREEMENT_ROWS);
    assert.equal(matrix.agreement.cosine.length, MAX_AGREEMENT_ROWS ** 2);
    assert.equal(matrix.agreement.uids[0], MAX_AGREEMENT_ROWS + 9);
    assert.deepEqual(validatorAgreement([]), { uids: [], cosine: [], withConsensus: [], nearDuplicates: [] });
  });
});
