import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withStructure } from '../../src/core/bittensor/weightsStructure';
import type { WeightsMatrix } from '../../src/protocol/bittensorProtocol';
import { clusterView, reorderedCosine } from '../../webview/weights/clusterView';

/** Four validators in two agreeing pairs, interleaved by stake: 7 and 9 agree, 8 and 6 agree. */
function interleaved(): WeightsMatrix {
  const row = (uid: number, weights: [number, number][]) => ({ uid, hotkey: `hotkey-${uid}`, stake: 100 - uid, validatorPermit: true, lastUpdate: 1, weights });
  const cosine = [
    1, 0.1, 0.95, 0.2,
    0.1, 1, 0.15, 0.97,
    0.95, 0.15, 1, 0.05,
    0.2, 0.97, 0.05, 1,
  ];
  return {
    netuid: 1, block: 5, targets: [0, 1],
    rows: [row(6, [[0, 1]]), row(7, [[1, 1]]), row(8, [[0, 1]]), row(9, [[1, 1]])],
    agreement: { uids: [6, 7, 8, 9], cosine, withConsensus: [], nearDuplicates: [] },
  };
}

test('the heatmap in cluster order puts each agreeing pair in a block on the diagonal', () => {
  const matrix = withStructure(interleaved(), null);
  assert.deepEqual(matrix.structure.clusters.clusters.map((cluster) => cluster.uids), [[6, 8], [7, 9]]);
  const view = clusterView(matrix);
  assert.deepEqual(view.order, [0, 2, 1, 3]);
  assert.deepEqual(view.clusterOfRow, [0, 1, 0, 1]);
  assert.deepEqual(view.sizes, [2, 2]);
  const grid = reorderedCosine(matrix, view.order);
  assert.deepEqual([grid.rows, grid.cols], [4, 4]);
  // Rows/columns now 6, 8, 7, 9: the pairs' cosines sit next to the diagonal, the cross terms off it.
  assert.deepEqual([...grid.values].map((v) => Math.round(v * 100) / 100), [
    1, 0.95, 0.1, 0.2,
    0.95, 1, 0.15, 0.05,
    0.1, 0.15, 1, 0.97,
    0.2, 0.05, 0.97, 1,
  ]);
});
