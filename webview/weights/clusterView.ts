import type { WeightsView } from '../../src/protocol/bittensorProtocol';
import type { ThemeColors } from '../common/themeColors';
import type { Grid } from './matrixGrid';

/**
 * What the clusters table, the reordered heatmap and the map share: each UID's cluster, the rows in cluster order,
 * and a colour per cluster. No DOM here.
 */
export interface ClusterView {
  /** Agreement row indices in cluster order (largest cluster first). */
  readonly order: readonly number[];
  /** Cluster number (0 = largest) of each agreement row, in agreement order. */
  readonly clusterOfRow: readonly number[];
  /** Clusters of one validator are not coloured apart: they share the "alone" colour. */
  readonly sizes: readonly number[];
}

export function clusterView(matrix: WeightsView): ClusterView {
  const rowOf = new Map(matrix.agreement.uids.map((uid, row) => [uid, row]));
  const clusterOfRow = new Array<number>(matrix.agreement.uids.length).fill(-1);
  const order: number[] = [];
  matrix.structure.clusters.clusters.forEach((cluster, index) => {
    for (const uid of cluster.uids) {
      const row = rowOf.get(uid)!;
      clusterOfRow[row] = index;
      order.push(row);
    }
  });
  return { order, clusterOfRow, sizes: matrix.structure.clusters.clusters.map((cluster) => cluster.uids.length) };
}

/** The cosine matrix with rows and columns in cluster order: agreeing validators form blocks on the diagonal. */
export function reorderedCosine(matrix: WeightsView, order: readonly number[]): Grid {
  const n = matrix.agreement.uids.length;
  const values = new Float32Array(order.length * order.length);
  order.forEach((row, i) => order.forEach((col, j) => {
    values[i * order.length + j] = matrix.agreement.cosine[row * n + col];
  }));
  return { rows: order.length, cols: order.length, values };
}

/** A colour per cluster of two or more (cycling through the theme's chart colours); validators alone are muted. */
export function clusterColour(view: ClusterView, cluster: number, colors: ThemeColors): string {
  if (cluster < 0 || view.sizes[cluster] < 2) return colors.muted;
  const { blue, orange, green, purple, red, yellow } = colors.charts;
  const cycle = [blue, orange, green, purple, red, yellow];
  return cycle[cluster % cycle.length];
}

/** Identity names by UID (chain text: shown with textContent only). */
export function identityNames(matrix: WeightsView): Map<number, string> {
  return new Map(matrix.structure.identities.map(({ uid, name }) => [uid, name]));
}
