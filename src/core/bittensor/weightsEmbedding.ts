import type { WeightEmbedding } from './weightsModel';

/**
 * A bound on the work for matrices whose top eigenvalues nearly tie (noise-like weights, where the map explains
 * little anyway): the result is then the subspace reached, still the same on every run.
 */
const MAX_ITERATIONS = 200;
/** Residual ‖B·v − θ·v‖ at which a Ritz pair counts as converged, relative to the largest eigenvalue. */
const TOLERANCE = 1e-11;
/** Vectors iterated beside the two wanted: convergence goes as λ(guard + 3) / λ2 per step, not λ3 / λ2. */
const GUARD_VECTORS = 6;

/**
 * Classical (Torgerson) MDS of the validators from the cosine matrix of their weight rows. With the chord distance
 * between unit rows, d² = 2 − 2·cos, the double-centred matrix −½·J·D²·J is J·C·J: the embedding is the PCA of the
 * row-normalised weights, computed from the n×n cosines instead of the n×1,024 rows. Its two largest eigenpairs come
 * from subspace iteration with Rayleigh–Ritz (the matrix is positive semi-definite, so the largest in size are the
 * largest) from a fixed start; each axis's sign is fixed by its largest coordinate being positive. So the same matrix
 * gives the same picture every time.
 */
export function embedByCosine(uids: readonly number[], cosine: ArrayLike<number>): WeightEmbedding {
  const n = uids.length;
  if (cosine.length !== n * n) throw new RangeError(`a cosine matrix of ${cosine.length} cells for ${n} rows`);
  const centred = doubleCentre(cosine, n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += centred[i * n + i];
  const [first, second] = topEigenpairs(centred, n, 2);
  const axes = [first, second].map(({ value, vector }) => {
    // An eigenvalue at rounding level of the largest is zero: its axis would be noise.
    const scale = value > 1e-12 * first.value ? Math.sqrt(value) : 0;
    return signNormalised(vector).map((x) => x * scale + 0);
  });
  return {
    uids: [...uids],
    points: uids.map((_, i) => [axes[0][i], axes[1][i]] as const),
    explained: trace > 0 ? [first.value > 0 ? first.value / trace : 0, second.value > 1e-12 * first.value ? second.value / trace : 0] : [0, 0],
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

/**
 * The k largest eigenpairs of a symmetric positive semi-definite n×n matrix by subspace iteration: V ← orth(B·V·S),
 * where S rotates V to the Ritz vectors of Vᵀ·B·V (a small matrix, solved by Jacobi). Missing pairs (n < k, or a
 * rank below k) come back as zero.
 */
export function topEigenpairs(matrix: Float64Array, n: number, k: number): Eigen[] {
  const p = Math.min(n, k + GUARD_VECTORS);
  // Columns of V, each of length n; a fixed, irregular start (not all ones: that is J's null space).
  let basis: Float64Array[] = Array.from({ length: p }, (_, c) => new Float64Array(n).map((_, i) => Math.sin((i + 1) * (c + 1) * 12.9898) + (c === 0 ? 1 + i / n : 0)));
  orthonormalise(basis);
  let ritz: { values: number[]; vectors: number[][] } = { values: [], vectors: [] };
  let images: Float64Array[] = [];
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    images = multiplyAll(matrix, n, basis);
    const small = basis.map((a) => images.map((b) => dot(a, b)));
    ritz = jacobiEigen(small);
    let worst = 0;
    const scale = Math.max(Math.abs(ritz.values[0] ?? 0), 1e-300);
    for (let j = 0; j < Math.min(k, p); j++) {
      const vector = combine(basis, ritz.vectors[j], n);
      const image = combine(images, ritz.vectors[j], n);
      let residual = 0;
      for (let i = 0; i < n; i++) residual += (image[i] - ritz.values[j] * vector[i]) ** 2;
      worst = Math.max(worst, Math.sqrt(residual) / scale);
    }
    if (worst < TOLERANCE) break;
    basis = ritz.vectors.map((weights) => combine(images, weights, n));
    orthonormalise(basis);
  }
  return Array.from({ length: k }, (_, j) => j < p
    ? { value: ritz.values[j], vector: combine(basis, ritz.vectors[j], n) }
    : { value: 0, vector: new Float64Array(n) });
}

/** Modified Gram–Schmidt in place; a column with nothing left of it becomes zero (the matrix's rank is lower). */
function orthonormalise(columns: Float64Array[]): void {
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c];
    const before = Math.sqrt(dot(column, column));
    for (let d = 0; d < c; d++) {
      const projection = dot(columns[d], column);
      for (let i = 0; i < column.length; i++) column[i] -= projection * columns[d][i];
    }
    const length = Math.sqrt(dot(column, column));
    if (length <= 1e-10 * Math.max(before, 1e-300)) column.fill(0);
    else for (let i = 0; i < column.length; i++) column[i] /= length;
  }
}

/** Σ weights[c] · columns[c]. */
function combine(columns: readonly Float64Array[], weights: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n);
  columns.forEach((column, c) => {
    const weight = weights[c];
    if (weight !== 0) for (let i = 0; i < n; i++) out[i] += weight * column[i];
  });
  return out;
}

/** Eigenpairs of a small symmetric matrix by cyclic Jacobi rotations, largest first; vectors as arrays of weights. */
function jacobiEigen(input: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const p = input.length;
  // Symmetrised: rounding leaves Vᵀ·B·V a hair off symmetric.
  const a = input.map((row, i) => row.map((_, j) => (input[i][j] + input[j][i]) / 2));
  const v = a.map((_, i) => a.map((__, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
      total += a[i][j] ** 2;
      if (i !== j) off += a[i][j] ** 2;
    }
    // Off-diagonal mass at rounding level: further sweeps only shuffle noise.
    if (off <= 1e-26 * total) break;
    for (let r = 0; r < p; r++) {
      for (let q = r + 1; q < p; q++) {
        if (a[r][q] === 0) continue;
        const theta = (a[q][q] - a[r][r]) / (2 * a[r][q]);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let i = 0; i < p; i++) {
          const air = a[i][r];
          const aiq = a[i][q];
          a[i][r] = c * air - s * aiq;
          a[i][q] = s * air + c * aiq;
        }
        for (let i = 0; i < p; i++) {
          const ari = a[r][i];
          const aqi = a[q][i];
          a[r][i] = c * ari - s * aqi;
          a[q][i] = s * ari + c * aqi;
        }
        for (let i = 0; i < p; i++) {
          const vir = v[i][r];
          const viq = v[i][q];
          v[i][r] = c * vir - s * viq;
          v[i][q] = s * vir + c * viq;
        }
      }
    }
  }
  const order = a.map((_, i) => i).sort((x, y) => a[y][y] - a[x][x] || x - y);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

/** B·v for every column v at once: one pass over B (the cost is reading it), the columns interleaved per row. */
function multiplyAll(matrix: Float64Array, n: number, columns: readonly Float64Array[]): Float64Array[] {
  const p = columns.length;
  const interleaved = new Float64Array(n * p);
  columns.forEach((column, c) => {
    for (let j = 0; j < n; j++) interleaved[j * p + c] = column[j];
  });
  const sums = new Float64Array(p);
  const out = columns.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const value = matrix[row + j];
      const at = j * p;
      for (let c = 0; c < p; c++) sums[c] += value * interleaved[at + c];
    }
    for (let c = 0; c < p; c++) out[c][i] = sums[c];
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** An eigenvector's sign is arbitrary: the one whose largest coordinate (by size; the first on a tie) is positive. */
export function signNormalised(vector: ArrayLike<number>): number[] {
  let at = 0;
  for (let i = 1; i < vector.length; i++) if (Math.abs(vector[i]) > Math.abs(vector[at]) + 1e-12) at = i;
  const sign = vector.length > 0 && vector[at] < 0 ? -1 : 1;
  return Array.from(vector, (x) => x * sign + 0);
}
