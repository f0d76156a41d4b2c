import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { webviewBuild } from '../../esbuild.mjs';
import { REPO_ROOT } from '../support/codeServer';

/**
 * The trace page paints its text and tables before any graph code runs: its own bundle must not hold vis-network,
 * which comes as graph.js (webview/common/graphChunk.ts) once the first paint is done. Bundled here as esbuild.mjs
 * builds pages, minified as the .vsix ships them.
 */

async function bundle(entry: string): Promise<string> {
  const result = await esbuild.build({ ...webviewBuild, entryPoints: [path.join(REPO_ROOT, entry)], write: false, sourcemap: false, minify: true, logLevel: 'silent' });
  return result.outputFiles![0].text;
}

test('the trace page\'s bundle holds no vis-network; graph.js holds it and hands the graph view over', async () => {
  const page = await bundle('webview/trace/main.ts');
  const graph = await bundle('webview/common/graphChunk.ts');
  assert.doesNotMatch(page, /vis-network|stabilizationIterationsDone/, 'no vis-network code in the page');
  assert.ok(page.length < 100_000, `the page bundle is ${page.length} bytes`);
  assert.match(graph, /stabilizationIterationsDone/, 'graph.js is GraphView on vis-network');
  assert.match(graph, /__swarmscopeGraphView/, 'and leaves it where graphLoader.ts looks');
});
