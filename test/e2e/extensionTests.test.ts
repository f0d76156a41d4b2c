import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, screenshot } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS, REPO_ROOT, startCodeServer, type CodeServer } from '../support/codeServer';
import { ensureDevBuild } from './freshBuild';
import { assertE2eToolsInstalled } from './requirements';

/**
 * The in-VS Code mocha suite (test/extension, bundled to dist/test/extensionSuite.js) run inside code-server's real
 * extension host, through the `run()` contract of @vscode/test-electron: the workbench URL's payload names the
 * development extension and the tests module; VS Code reports the run's exit code to `window.codeAutomationExit`
 * and its log lines to `window.codeAutomationLog` (see ../shared/TESTING.md).
 */

const RUN_TIMEOUT_MS = 180_000;

let server: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

before(async () => {
  assertE2eToolsInstalled();
  ensureDevBuild();
}, { timeout: 300_000 });

after(async () => {
  // What the Extension Development Host showed at the end: helps explain a failure.
  if (page) await screenshot(page, 'extension-suite').catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

test('the extension suite passes inside code-server', { timeout: RUN_TIMEOUT_MS + 60_000 }, async () => {
  const started = Date.now();
  server = await startCodeServer({
    userSettings: { ...OFFLINE_SWARMSCOPE_SETTINGS },
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'dist', 'test', 'extensionSuite.js'),
  });
  const log: string[] = [];
  let reportExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (reportExit = resolve));
  browser = await launchBrowser();
  page = await openWorkbench(browser, server.url, async (newPage) => {
    await newPage.exposeFunction('codeAutomationLog', (level: string, message: string) => log.push(`[${level}] ${message}`));
    await newPage.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
  });
  const code = await Promise.race([
    exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RUN_TIMEOUT_MS).unref()),
  ]);
  const transcript = log.join('\n');
  console.log(`extension suite output:\n${transcript}`);
  console.log(`extension suite run took ${Date.now() - started} ms (code-server start, workbench, suite)`);
  assert.notEqual(code, 'timeout', `the suite did not report an exit code within ${RUN_TIMEOUT_MS} ms\n${server.output().slice(-4000)}`);
  assert.equal(code, 0, `the extension suite failed (exit code ${code}); see its output above`);
  // A run that loaded no tests also exits 0: make sure mocha really ran the suites.
  assert.match(transcript, /\b[1-9]\d* passing\b/);
  assert.doesNotMatch(transcript, /\b\d+ failing\b/);
});
