import type { WeightEmbedding } from './weightsModel';

const MAX_ITERATIONS = 10_000;
/** Squared change of the unit vector between two steps at which it has converged. */
const TOLERANCE = 1e-26;

/**
 * Classical (Torgerson) MDS of the validators from the cosine matrix of their weight rows. With the chord distance
 * between unit rows, d² = 2 − 2·cos, the double-centred matrix −½·J·D²·J is J·C·J: the embedding is the PCA of the
 * row-normalised weights, computed from the n×n cosines instead of the n×1,024 rows. Its two largest eigenpairs come
 * from power iteration with deflation (the matrix is positive semi-definite, so the largest in size are the largest)
 * from a fixed start vector; each axis's sign is fixed by its largest coordinate being positive. So the same matrix
 * gives the same picture every time.
 */
export function embedByCosine(uids: readonly number[], cosine: ArrayLike<number>): WeightEmbedding {
  const n = uids.length;
  if (cosine.length !== n * n) throw new RangeError(`a cosine matrix of ${cosine.length} cells for ${n} rows`);
  const centred = doubleCentre(cosine, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += centred[i * n + i];
  const first = topEigen(centred, n);
  deflate(centred, n, first);
  const second = topEigen(centred, n);
  const axes = [first, second].map(({ value, vector }) => {
    const scale = Math.sqrt(Math.max(0, value));
    return signNormalised(vector).map((x) => x * scale);
  });
  return {
    uids: [...uids],
    points: uids.map((_, i) => [axes[0][i], axes[1][i]] as const),
    explained: trace > 0 ? [Math.max(0, first.value) / trace, Math.max(0, second.value) / trace] : [0, 0],
  };
}

/** J·C·J with J = I − 11ᵀ/n: each row and column mean subtracted, the grand mean added back. */
export function doubleCentre(matrix: ArrayLike<number>, n: number): Float64Array {
  const rowMeans = new Float64Array(n);
  let grand = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += matrix[i * n + j];
    rowMeans[i] = sum / n;
    grand += sum;
  }
  grand /= n * n;
  const out = new Float64Array(n * n);
  // The matrix is symmetric, so column means are the row means.
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = matrix[i * n + j] - rowMeans[i] - rowMeans[j] + grand;
  return out;
}

interface Eigen {
  readonly value: number;
  readonly vector: Float64Array;
}

function topEigen(matrix: Float64Array, n: number): Eigen {
  if (n === 0) return { value: 0, vector: new Float64Array(0) };
  // A fixed start that is not orthogonal to any particular direction in practice (not all ones: that is J's null space).
  let vector: Float64Array = new Float64Array(n).map((_, i) => Math.sin(i * 12.9898 + 1) * 0.5 + 1 + i / n);
  normalise(vector);
  let value = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = multiply(matrix, n, vector);
    const length = normalise(next);
    if (length === 0) return { value: 0, vector: next };
    let change = 0;
    for (let i = 0; i < n; i++) change += (next[i] - vector[i]) ** 2;
    vector = next;
    value = length;
    if (change < TOLERANCE) break;
  }
  // The Rayleigh quotient is a better estimate of the eigenvalue than the last step's growth.
  const image = multiply(matrix, n, vector);
  value = 0;
  for (let i = 0; i < n; i++) value += vector[i] * image[i];
  return { value, vector };
}

function deflate(matrix: Float64Array, n: number, { value, vector }: Eigen): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] -= value * vector[i] * vector[j];
}

function multiply(matrix: Float64Array, n: number, vector: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) sum += matrix[row + j] * vector[j];
    out[i] = sum;
  }
  return out;
}

function normalise(vector: Float64Array): number {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const length = Math.sqrt(sum);
  if (length > 0) for (let i = 0; i < vector.length; i++) vector[i] /= length;
  return length;
}

/** An eigenvector's sign is arbitrary: the one whose largest coordinate (by size; the first on a tie) is positive. */
export function signNormalised(vector: ArrayLike<number>): number[] {
  let at = 0;
  for (let i = 1; i < vector.length; i++) if (Math.abs(vector[i]) > Math.abs(vector[at]) + 1e-12) at = i;
  const sign = vector.length > 0 && vector[at] < 0 ? -1 : 1;
  return Array.from(vector, (x) => x * sign + 0);
}
