import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/codeServer';

/**
 * A panel's built webview bundle (dist/webview/<name>.js) on a bare page in headless Chromium, for benches that
 * time the page itself without the workbench around it: the panel's CSS, a stand-in for `acquireVsCodeApi`, the
 * `#root` the pages draw into. Browser-side code goes as strings: tsx would otherwise wrap functions in helpers the
 * page lacks.
 */

export function bundlePath(name: string): string {
  return path.join(REPO_ROOT, 'dist', 'webview', `${name}.js`);
}

export interface BundlePageOptions {
  /** dist/webview/<bundle>.js */
  readonly bundle: string;
  /** Style sheets under media/, as the panel's HTML links them. */
  readonly styles: readonly string[];
  /** What `acquireVsCodeApi().getState()` hands the page (its persisted subject and UI state). */
  readonly state?: unknown;
  /** Receives what the page posts to the extension; without it, posts go nowhere. */
  readonly onPost?: (message: unknown) => void;
  /** Page script run before the bundle (instrumentation a bench needs in place before the page starts). */
  readonly beforeBundle?: string;
}

/** Opens the page and loads the bundle; `errors` collects the page's uncaught errors. */
export async function openBundlePage(browser: Browser, options: BundlePageOptions): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const css = options.styles.map((file) => fs.readFileSync(path.join(REPO_ROOT, 'media', file), 'utf8')).join('\n');
  await page.setContent(`<!DOCTYPE html><html><head><style>body { --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; }\n${css}</style></head>` +
    '<body><div id="root" role="main"></div></body></html>');
  const onPost = options.onPost;
  if (onPost) await page.exposeFunction('benchPostToHost', (message: unknown) => onPost(message));
  await page.evaluate(`(() => {
    let state = ${JSON.stringify(options.state ?? null) ?? 'null'};
    window.acquireVsCodeApi = () => ({
      postMessage: (message) => ${onPost ? 'window.benchPostToHost(message)' : 'undefined'},
      getState: () => state ?? undefined,
      setState: (next) => { state = next; },
    });
  })()`);
  if (options.beforeBundle) await page.evaluate(options.beforeBundle);
  await page.addScriptTag({ path: bundlePath(options.bundle) });
  return { page, errors };
}

/** Delivers a message to the page as the extension's webview.postMessage does (a `message` event on its window). */
export async function postToPage(page: Page, message: unknown): Promise<void> {
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
}
