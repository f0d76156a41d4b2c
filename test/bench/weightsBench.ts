import * as fs from 'node:fs';
import type { WeightRow, WeightsView } from '../../src/protocol/bittensorProtocol';
import { isToWeights } from '../../src/protocol/weightsPanelProtocol';
import { buildWeightsMatrix, type RawWeightRow } from '../../src/core/bittensor/weightsAnalysis';
import { clusterByCosine } from '../../src/core/bittensor/weightsClusters';
import { embedByCosine } from '../../src/core/bittensor/weightsEmbedding';
import { withStructure } from '../../src/core/bittensor/weightsStructure';
import { weightGrid } from '../../webview/weights/matrixGrid';
import { chromiumInstalled, launchBrowser } from '../support/browser';
import { bundlePath, openBundlePage } from './webviewBundlePage';

/**
 * `npm run bench weights`: the Weights panel at the size the brief names (64 rows × 1,024 targets). The message
 * guard and the grid build in node; then the built webview bundle (dist/webview/weights.js) in headless Chromium,
 * timed from the `matrix` message to the frame after the heatmaps are painted, and a hover read.
 */

const RUNS = 7;

/** A deterministic matrix: dense rows with a few copied ones, cosines computed from the rows; clusters and map by the engine's code. */
export function syntheticMatrix(rowCount: number, targetCount: number): WeightsView {
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const targets = Array.from({ length: targetCount }, (_, uid) => uid);
  const dense: number[][] = [];
  for (let row = 0; row < rowCount; row++) {
    const raw = row % 9 === 3 ? dense[row - 1].map((w) => w * (1 + 0.01 * random())) : targets.map(() => (random() < 0.7 ? random() ** 3 : 0));
    const sum = raw.reduce((a, b) => a + b, 0) || 1;
    dense.push(raw.map((w) => w / sum));
  }
  const rows: WeightRow[] = dense.map((weights, row) => ({
    uid: row, hotkey: `5F${String(row).padStart(4, '0')}sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5`, stake: 1e6 / (row + 1),
    validatorPermit: true, lastUpdate: 6_852_000 + row,
    weights: weights.flatMap((w, target) => (w > 0 ? [[target, w] as const] : [])),
  }));
  const dot = (a: number[], b: number[]) => a.reduce((acc, x, i) => acc + x * b[i], 0);
  const norms = dense.map((row) => Math.sqrt(dot(row, row)));
  const cosine: number[] = [];
  for (let a = 0; a < rowCount; a++) for (let b = 0; b < rowCount; b++) cosine.push(Math.min(1, dot(dense[a], dense[b]) / (norms[a] * norms[b])));
  const nearDuplicates = [];
  for (let a = 0; a < rowCount; a++) for (let b = a + 1; b < rowCount; b++) if (cosine[a * rowCount + b] >= 0.99) nearDuplicates.push({ a, b, cosine: cosine[a * rowCount + b] });
  return withStructure({
    netuid: 1, block: 6_852_690, rows, targets,
    agreement: { uids: rows.map((row) => row.uid), cosine, withConsensus: rows.map((row) => ({ uid: row.uid, cosine: 0.9 })), nearDuplicates },
  }, null);
}

export async function runWeightsBench(print: (line: string) => void): Promise<void> {
  const matrix = syntheticMatrix(64, 1024);
  // The engine's side: u16 rows as storage holds them → normalised matrix, pairwise cosines, consensus, copies.
  for (const rowCount of [64, 256]) {
    const raw: RawWeightRow[] = syntheticMatrix(rowCount, 1024).rows.map((row) => ({ uid: row.uid, weights: row.weights.map(([target, weight]) => [target, Math.max(1, Math.round(weight * 65_535 * 20))] as const) }));
    print(`weights engine, ${rowCount} rows × 1,024 targets: buildWeightsMatrix (normalise + agreement) ${median(timed(() => buildWeightsMatrix(1, 1, raw, null)))} (median of ${RUNS})`);
    // Clusters and map start from the agreement's cosines, which buildWeightsMatrix has already paid for. These rows
    // are noise: the map's top eigenvalues nearly tie, the worst case for its iteration.
    const { agreement } = buildWeightsMatrix(1, 1, raw, null);
    const clusters = timed(() => clusterByCosine(agreement.uids, agreement.cosine));
    const embedding = timed(() => embedByCosine(agreement.uids, agreement.cosine));
    const both = clusters.map((ms, run) => ms + embedding[run]);
    print(`  clusters (average linkage) ${median(clusters)}, embedding (classical MDS, subspace iteration) ${median(embedding)}, both ${median(both)} ` +
      `(median of ${RUNS}; ${clusterByCosine(agreement.uids, agreement.cosine).clusters.length} clusters at cosine ≥ 0.9)`);
  }
  // Validators as subnets have them: a shared view of the miners, four camps that favour their own quarter, noise.
  let seed = 13;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const shared = Array.from({ length: 1024 }, () => random() ** 4);
  const camps: RawWeightRow[] = Array.from({ length: 256 }, (_, uid) => ({
    uid, weights: shared.map((w, target) => [target, Math.round(65_535 * w * (Math.floor(target / 256) === uid % 4 ? 3 : 1) * (0.8 + 0.4 * random()))] as const),
  }));
  const { agreement: campAgreement } = buildWeightsMatrix(1, 1, camps, null);
  const campClusters = timed(() => clusterByCosine(campAgreement.uids, campAgreement.cosine));
  const campEmbedding = timed(() => embedByCosine(campAgreement.uids, campAgreement.cosine));
  print(`weights engine, 256 validators in 4 camps × 1,024 miners: clusters ${median(campClusters)}, embedding ${median(campEmbedding)}, ` +
    `both ${median(campClusters.map((ms, run) => ms + campEmbedding[run]))} (median of ${RUNS}; ${clusterByCosine(campAgreement.uids, campAgreement.cosine).clusters.length} clusters)`);

  const message = { type: 'matrix', matrix, readAt: Date.now() };
  print(`weights panel, 64 × 1,024 (${matrix.rows.reduce((n, row) => n + row.weights.length, 0).toLocaleString('en-US')} weights set)`);
  print(`  node: message guard ${median(timed(() => isToWeights(message)))}, grid build ${median(timed(() => weightGrid(matrix)))} (median of ${RUNS})`);

  if (!chromiumInstalled() || !fs.existsSync(bundlePath('weights'))) {
    print('  chromium: skipped (no Chromium, or the webview bundle is not built: node esbuild.mjs)');
    return;
  }
  const browser = await launchBrowser();
  try {
    const { page, errors: pageErrors } = await openBundlePage(browser, { bundle: 'weights', styles: ['webview.css', 'weights.css'] });
    await page.evaluate(`window.benchMessage = ${JSON.stringify(message)}`);
    const renders: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // The handler runs as a task; the heatmaps paint in the next animation frame; the one after shows them.
      renders.push(await page.evaluate<number>(`new Promise((resolve) => {
        const started = performance.now();
        window.postMessage(window.benchMessage, '*');
        setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started))), 0);
      })`));
    }
    print(`  chromium: matrix message → heatmaps painted: first ${renders[0].toFixed(0)} ms, median ${median(renders.slice(1))} of the rest`);
    if (pageErrors.length > 0) print(`  chromium: page errors: ${pageErrors.join('; ')}`);
    const box = await page.locator('canvas.heatmap-canvas').first().boundingBox({ timeout: 5_000 });
    if (box) {
      const hovers: number[] = [];
      for (let step = 0; step < RUNS; step++) {
        const started = Date.now();
        await page.mouse.move(box.x + box.width * (0.2 + step * 0.1), box.y + box.height / 2);
        await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
        hovers.push(Date.now() - started);
      }
      print(`  chromium: hover → tooltip and highlight drawn (including the driver's round trip): median ${median(hovers)}`);
    }
  } finally {
    await browser.close();
  }
}

function timed(work: () => unknown): number[] {
  return Array.from({ length: RUNS }, () => {
    const started = performance.now();
    work();
    return performance.now() - started;
  });
}

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms`;
}
