import { NEAR_DUPLICATE_COSINE, type NeuronRow, type ValidatorAgreement, type WeightRow, type WeightsMatrix } from './model';

/** The weights one UID set, as the chain keeps them: u16 values scaled so the largest is 65,535. */
export interface RawWeightRow {
  readonly uid: number;
  readonly weights: readonly (readonly [target: number, value: number])[];
}

/** Agreement is pairwise (n² dot products): it covers the rows with the most stake, up to this many. */
export const MAX_AGREEMENT_ROWS = 256;
const MAX_NEAR_DUPLICATES = 100;

/**
 * The weights matrix as the views show it: rows normalised to sum to 1 (as Yuma consensus reads them), described
 * with the newest snapshot's hotkeys and stake, ordered by stake, and the validators' agreement.
 */
export function buildWeightsMatrix(netuid: number, block: number, raw: readonly RawWeightRow[], neurons: readonly NeuronRow[] | null): WeightsMatrix {
  const byUid = new Map((neurons ?? []).map((neuron) => [neuron.uid, neuron]));
  const targets = new Set<number>();
  const rows: WeightRow[] = raw.map(({ uid, weights }) => {
    const normalised = normalisedWeights(weights);
    for (const [target] of normalised) targets.add(target);
    const neuron = byUid.get(uid);
    return {
      uid,
      hotkey: neuron?.hotkey ?? null,
      stake: neuron?.stake ?? null,
      validatorPermit: neuron?.validatorPermit ?? null,
      lastUpdate: neuron?.lastUpdate ?? null,
      weights: normalised,
    };
  });
  rows.sort((a, b) => (b.stake ?? -1) - (a.stake ?? -1) || a.uid - b.uid);
  return { netuid, block, rows, targets: [...targets].sort((a, b) => a - b), agreement: validatorAgreement(rows) };
}

/** A row's non-zero weights as shares of its total, target ascending. */
export function normalisedWeights(weights: RawWeightRow['weights']): [number, number][] {
  const sum = weights.reduce((total, [, value]) => total + value, 0);
  return weights
    .filter(([, value]) => value > 0)
    .map(([target, value]): [number, number] => [target, value / sum])
    .sort((a, b) => a[0] - b[0]);
}

/**
 * Cosine similarity between rows, each row against the stake-weighted mean row, and near-identical pairs. Rows are
 * laid out as dense vectors over the target UIDs (a subnet has at most a few thousand), so the n² dot products are
 * plain loops over typed arrays.
 */
export function validatorAgreement(allRows: readonly WeightRow[]): ValidatorAgreement {
  const rows = allRows.filter((row) => row.weights.length > 0).slice(0, MAX_AGREEMENT_ROWS);
  const n = rows.length;
  const width = rows.reduce((max, row) => Math.max(max, row.weights[row.weights.length - 1][0] + 1), 0);
  const vectors = rows.map((row) => {
    const vector = new Float64Array(width);
    for (const [target, weight] of row.weights) vector[target] = weight;
    return vector;
  });
  const norms = vectors.map((vector) => Math.sqrt(dot(vector, vector)));
  const cosine = new Array<number>(n * n).fill(0);
  const nearDuplicates: { a: number; b: number; cosine: number }[] = [];
  for (let i = 0; i < n; i++) {
    cosine[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const similarity = cosineOf(vectors[i], norms[i], vectors[j], norms[j]);
      cosine[i * n + j] = similarity;
      cosine[j * n + i] = similarity;
      if (similarity >= NEAR_DUPLICATE_COSINE) nearDuplicates.push({ a: rows[i].uid, b: rows[j].uid, cosine: similarity });
    }
  }
  nearDuplicates.sort((x, y) => y.cosine - x.cosine || x.a - y.a || x.b - y.b);

  // Without snapshot stake, every row counts the same.
  const hasStake = rows.some((row) => (row.stake ?? 0) > 0);
  const consensus = new Float64Array(width);
  for (const [i, row] of rows.entries()) {
    const stake = hasStake ? row.stake ?? 0 : 1;
    const vector = vectors[i];
    for (let target = 0; target < width; target++) consensus[target] += stake * vector[target];
  }
  const consensusNorm = Math.sqrt(dot(consensus, consensus));
  const withConsensus = rows
    .map((row, i) => ({ uid: row.uid, cosine: cosineOf(vectors[i], norms[i], consensus, consensusNorm) }))
    .sort((a, b) => a.cosine - b.cosine || a.uid - b.uid);

  return { uids: rows.map((row) => row.uid), cosine, withConsensus, nearDuplicates: nearDuplicates.slice(0, MAX_NEAR_DUPLICATES) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}

function cosineOf(a: Float64Array, normA: number, b: Float64Array, normB: number): number {
  if (normA === 0 || normB === 0) return 0;
  // Rounding can put identical rows a hair above 1.
  return Math.min(1, dot(a, b) / (normA * normB));
}
