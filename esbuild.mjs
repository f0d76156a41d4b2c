// Builds every bundle Swarmscope ships or tests with:
//   dist/extension.js  the extension host entry (vscode external, tiny: heavy modules live in the worker)
//   dist/engine.js     the engine worker (collectors + sql.js store + @polkadot/api + nostr-wasm)
//   dist/cli.js        the headless `swarmscope` command (same engine, in-process)
//   dist/webview/*.js  one browser bundle per webview panel (webview/<panel>/main.ts), graph.js (vis-network, loaded
//                      by graph pages after their first paint), plus vis-network's CSS (only the rules our graphs
//                      use: see usedVisNetworkCss)
//   dist/test/*.js     the in-VS Code extension test suite (not packaged)
// Flags: --watch, --production (minify, no source maps).
// Imported (not run), it only exports `webviewBuild` (so tests bundle webview code exactly as the pages are built)
// and `usedVisNetworkCss`.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

/** Browser bundles: one IIFE per page. vis-network is imported from its peer build, which injects no <style>. */
export const webviewBuild = {
  ...common,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
};

const webviewEntries = fs.existsSync(path.join(root, 'webview'))
  ? fs.readdirSync(path.join(root, 'webview'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, 'webview', entry.name, 'main.ts')))
      .map((entry) => ({ in: `webview/${entry.name}/main.ts`, out: entry.name }))
      // vis-network and its wrapper as a bundle of their own, which graph pages load after their first paint.
      .concat([{ in: 'webview/common/graphChunk.ts', out: 'graph' }])
  : [];

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: dist },
  { ...node, entryPoints: { engine: 'src/engine/worker.ts' }, outdir: dist },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
  webviewEntries.length > 0 && {
    ...webviewBuild,
    entryPoints: webviewEntries,
    outdir: path.join(dist, 'webview'),
  },
  !production && {
    ...node,
    entryPoints: { 'test/extensionSuite': 'test/extension/index.ts', 'test/desktopRunner': 'test/extension/desktopRunner.ts' },
    outdir: dist,
    external: ['vscode', 'mocha', '@vscode/test-electron'],
  },
].filter(Boolean);

/**
 * vis-network's stylesheet is 220 KB, nearly all of it base64 icons for its navigation buttons, edit toolbar and
 * option configurator, none of which our graphs turn on; the page parsed it before its script could start. What
 * is left (tooltip, overlay) is under 1 KB. Built from the package's own file, so an upgrade brings its changes.
 */
const UNUSED_VIS_WIDGETS = /\.vis-(navigation|manipulation|edit-mode|close|configuration|color-picker)\b/;

export function usedVisNetworkCss(css) {
  const rules = [];
  for (const rule of css.replace(/\/\*[\s\S]*?\*\//g, '').split('}')) {
    const open = rule.indexOf('{');
    if (open < 0) continue;
    const selectors = rule.slice(0, open).split(',').filter((selector) => !UNUSED_VIS_WIDGETS.test(selector));
    if (selectors.length > 0) rules.push(`${selectors.join(',').trim()}${rule.slice(open)}}`);
  }
  return `${rules.join('\n')}\n`;
}

function copyAssets() {
  fs.mkdirSync(path.join(dist, 'webview'), { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), path.join(dist, 'sql-wasm.wasm'));
  const visCss = fs.readFileSync(path.join(root, 'node_modules/vis-network/styles/vis-network.min.css'), 'utf8');
  fs.writeFileSync(path.join(dist, 'webview', 'vis-network.css'), usedVisNetworkCss(visCss));
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  copyAssets();
  if (watch) {
    const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
    await Promise.all(contexts.map((context) => context.watch()));
    console.log('esbuild: watching for changes');
    return;
  }
  const started = Date.now();
  await Promise.all(builds.map((options) => esbuild.build(options)));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
  console.log(`esbuild: built ${builds.length} bundle groups in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

// Real paths on both sides: Node gives the main module's URL with symlinks resolved.
const runAsScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(path.resolve(process.argv[1]))).href;
// No top-level await: tests load this file through a CommonJS transform.
if (runAsScript) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
