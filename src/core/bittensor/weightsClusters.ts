import type { WeightClusters } from './weightsModel';

/** Two validators whose rows have a cosine of 0.9 or more set nearly the same weights. */
export const DEFAULT_CLUSTER_THRESHOLD = 0.9;

/**
 * Average-linkage agglomerative clustering of the rows of a cosine matrix (row-major, n², symmetric): the two
 * clusters with the highest mean pairwise cosine merge, while that mean is at least `threshold`. Average linkage,
 * not single: a chain of near pairs does not pull unlike validators into one cluster. Ties go to the lowest row
 * indices, so the result depends only on the matrix. O(n³) with the Lance–Williams update (n ≤ 256 rows).
 */
export function clusterByCosine(uids: readonly number[], cosine: ArrayLike<number>, threshold = DEFAULT_CLUSTER_THRESHOLD): WeightClusters {
  const n = uids.length;
  if (cosine.length !== n * n) throw new RangeError(`a cosine matrix of ${cosine.length} cells for ${n} rows`);
  const similarity = Float64Array.from(cosine);
  const members: (number[] | null)[] = uids.map((_, i) => [i]);
  for (;;) {
    let best = -Infinity;
    let a = -1;
    let b = -1;
    for (let i = 0; i < n; i++) {
      if (!members[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (!members[j]) continue;
        const value = similarity[i * n + j];
        if (value > best) {
          best = value;
          a = i;
          b = j;
        }
      }
    }
    if (a < 0 || best < threshold) break;
    const sizeA = members[a]!.length;
    const sizeB = members[b]!.length;
    // The mean cosine to a ∪ b is the size-weighted mean of the means to a and to b.
    for (let k = 0; k < n; k++) {
      if (!members[k] || k === a || k === b) continue;
      const merged = (sizeA * similarity[k * n + a] + sizeB * similarity[k * n + b]) / (sizeA + sizeB);
      similarity[k * n + a] = merged;
      similarity[a * n + k] = merged;
    }
    members[a] = [...members[a]!, ...members[b]!].sort((x, y) => x - y);
    members[b] = null;
  }
  const clusters = members
    .filter((group): group is number[] => group !== null)
    .map((group) => ({ rows: group, meanCosine: meanPairwise(group, cosine, n) }))
    .sort((x, y) => y.rows.length - x.rows.length || x.rows[0] - y.rows[0])
    .map(({ rows, meanCosine }) => ({ uids: rows.map((row) => uids[row]), meanCosine }));
  return { threshold, clusters };
}

/** Mean cosine over the pairs of a cluster (1 for a single row: it agrees with itself). */
function meanPairwise(rows: readonly number[], cosine: ArrayLike<number>, n: number): number {
  if (rows.length < 2) return 1;
  let sum = 0;
  for (let i = 0; i < rows.length; i++) for (let j = i + 1; j < rows.length; j++) sum += cosine[rows[i] * n + rows[j]];
  return sum / ((rows.length * (rows.length - 1)) / 2);
}

/** The rows in cluster order, for a heatmap whose agreeing validators sit in blocks along the diagonal. */
export function clusterOrder(clusters: WeightClusters): number[] {
  return clusters.clusters.flatMap((cluster) => cluster.uids);
}
