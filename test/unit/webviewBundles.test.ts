import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';
import { usedVisNetworkCss, webviewBuild } from '../../esbuild.mjs';
import { REPO_ROOT } from '../support/codeServer';

/**
 * Webview pages run under `style-src <cspSource>` with no 'unsafe-inline': a bundle that injects a <style> element
 * (vis-network's standalone build does, for its CSS) would be blocked and draw unstyled. Each page, and the graph
 * wrapper the trace panel will use, is bundled here exactly as esbuild.mjs builds pages, and searched for the ways
 * a script adds CSS. The standalone build is searched too, to show the search finds what it looks for.
 */

const INJECTS_STYLE = [
  /createElement\(\s*["'`]style["'`]\s*\)/,
  /\binsertRule\(/,
  /\badoptedStyleSheets\b/,
  /\.vis-(network|tooltip|overlay)\s*\{/,
];

async function bundle(entry: { path?: string; contents?: string }): Promise<string> {
  const result = await esbuild.build({
    ...webviewBuild,
    ...(entry.path ? { entryPoints: [path.join(REPO_ROOT, entry.path)] } : { stdin: { contents: entry.contents!, resolveDir: REPO_ROOT, loader: 'ts' } }),
    write: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  return result.outputFiles![0].text;
}

function injections(code: string): string[] {
  return INJECTS_STYLE.filter((pattern) => pattern.test(code)).map(String);
}

test('the vis-network standalone build injects its CSS, and the search finds it', async () => {
  const code = await bundle({ contents: "import { Network } from 'vis-network/standalone'; console.log(Network);" });
  assert.ok(injections(code).length > 0, 'the control bundle should be caught');
});

test('the graph wrapper (vis-network peer build) injects no style', async () => {
  const code = await bundle({ path: 'webview/common/graphView.ts' });
  assert.match(code, /vis-network/i, 'vis-network is in the bundle');
  assert.deepEqual(injections(code), []);
});

test('no webview page injects style', async () => {
  const pages = fs.readdirSync(path.join(REPO_ROOT, 'webview'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(REPO_ROOT, 'webview', entry.name, 'main.ts')))
    .map((entry) => `webview/${entry.name}/main.ts`);
  assert.ok(pages.includes('webview/dashboard/main.ts') && pages.includes('webview/weights/main.ts'), pages.join(', '));
  for (const page of pages) assert.deepEqual(injections(await bundle({ path: page })), [], page);
});

test('vis-network\'s CSS is shipped as a file next to the page bundles, for panels to link, with only the rules our graphs use', () => {
  const full = fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'vis-network', 'styles', 'vis-network.min.css'), 'utf8');
  const used = usedVisNetworkCss(full);
  assert.match(used, /div\.vis-tooltip\{[^}]*position:absolute/, 'the hover box keeps its rule');
  assert.match(used, /\.vis-overlay\{/);
  assert.doesNotMatch(used, /vis-(navigation|manipulation|configuration|close)|url\(/, 'no toolbar, configurator or icon rules');
  assert.ok(used.length < full.length / 100, `${used.length} of ${full.length} bytes kept`);
  // `npm test` builds before the unit tests: the linked file is what esbuild.mjs writes.
  assert.equal(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'webview', 'vis-network.css'), 'utf8'), used);
});
