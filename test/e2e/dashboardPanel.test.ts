import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { expandView, openActivity, runPaletteCommand, screenshot, waitForStatusBarEntry } from '../support/browser';
import { eventually } from '../support/eventually';
import { waitForRow } from '../support/treeRows';
import { editorTab, reloadWindow, webviewContent } from '../support/webviewPanels';
import { DvmScene } from './dvmScene';

/**
 * The DVM dashboard on the shared panel host, in the packaged extension: a real relay on loopback is the only relay,
 * a simulated DVM answers the jobs a customer publishes. The dashboard updates while visible; hidden, its page is
 * gone (retainContextWhenHidden is off), and shown again it shows what arrived meanwhile, with the scope the user
 * chose; after a window reload VS Code restores it through its serializer; a theme change recolours its chart in
 * place. Screenshot: dashboard-panel.
 */

const DVM_NAME = 'Dashboard Echo DVM';
const LIVE_TIMEOUT_MS = 20_000;

const scene = new DvmScene('dashboard-panel');
const workbench = scene.workbench;

before(async () => {
  await scene.open();
  await scene.startDvm({ name: DVM_NAME, amountMsats: 21_000 });
}, { timeout: 300_000 });

after(() => scene.close());

const publishAnsweredJob = (input: string) => scene.publishAnsweredJob(input);

/** The value on the dashboard card labelled `label`. */
function card(content: FrameLocator, label: string) {
  return content.locator('.card', { has: content.locator('.label', { hasText: new RegExp(`^${label}$`) }) }).locator('.value');
}

/** What the theme test reads in the page. */
interface Canvas2D {
  fillStyle: string;
  fillRect(x: number, y: number, width: number, height: number): void;
  getImageData(x: number, y: number, width: number, height: number): { readonly data: Uint8ClampedArray };
}
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): Canvas2D;
}
interface PageGlobals {
  readonly document: { createElement(tag: 'canvas'): CanvasLike; readonly documentElement: unknown };
  getComputedStyle(element: unknown): { getPropertyValue(name: string): string };
  stillThisPage?: boolean;
}

async function waitForCard(content: FrameLocator, label: string, value: string): Promise<void> {
  await card(content, label).filter({ hasText: new RegExp(`^${value}$`) }).waitFor({ state: 'visible', timeout: LIVE_TIMEOUT_MS });
}

test('the dashboard opens from the palette and counts the jobs already stored', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /running/i.test(item.ariaLabel), 30_000);
  await publishAnsweredJob('first');
  // The DVMs tree shows the job stored before the dashboard exists.
  await openActivity(page, 'Swarmscope');
  await waitForRow(await expandView(page, 'DVMs'), [new RegExp(`^${DVM_NAME}\\b`), /\b1 job\b/], LIVE_TIMEOUT_MS);

  await runPaletteCommand(page, 'Swarmscope: Open DVM Dashboard');
  const content = webviewContent(page);
  await content.locator('h1', { hasText: 'DVM Dashboard' }).waitFor({ state: 'visible', timeout: 30_000 });
  await waitForCard(content, 'Requests', '1');
  await waitForCard(content, 'DVMs', '1');
  assert.match(await content.locator('.status').innerText(), /^Updated /);
});

test('while it is visible, a new job reaches it without a refresh', { timeout: 60_000 }, async () => {
  const content = webviewContent(workbench.page);
  await publishAnsweredJob('second');
  await waitForCard(content, 'Requests', '2');
});

test('hidden, it does nothing; shown again it shows what arrived meanwhile, in the scope the user chose', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  let content = webviewContent(page);
  await content.getByRole('button', { name: '24h' }).click();
  assert.equal(await content.getByRole('button', { name: '24h' }).getAttribute('aria-pressed'), 'true');

  // Another editor in the same group hides the dashboard: its page is destroyed.
  await runPaletteCommand(page, 'File: New Untitled Text File');
  await page.locator('iframe.webview.ready').waitFor({ state: 'detached', timeout: 15_000 });

  await publishAnsweredJob('third, while hidden');
  // Stored and notified while hidden (the tree says so); no notification will follow once the dashboard is shown.
  await waitForRow(await expandView(page, 'DVMs'), [new RegExp(`^${DVM_NAME}\\b`), /\b3 jobs\b/], LIVE_TIMEOUT_MS);

  await editorTab(page, 'DVM Dashboard').click();
  content = webviewContent(page);
  await waitForCard(content, 'Requests', '3');
  assert.equal(await content.getByRole('button', { name: '24h' }).getAttribute('aria-pressed'), 'true', 'the scope chosen before hiding');
  assert.equal(await content.getByRole('button', { name: 'All time' }).getAttribute('aria-pressed'), 'false');
  await page.mouse.move(900, 450);
  await screenshot(page, 'dashboard-panel');
});

test('after a window reload the dashboard comes back, live, with its scope', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  await reloadWindow(page);
  await editorTab(page, 'DVM Dashboard').waitFor({ state: 'visible', timeout: 30_000 });
  const content = webviewContent(page);
  await waitForCard(content, 'Requests', '3');
  assert.match(await content.locator('.status').innerText(), /^Updated /);
  assert.equal(await content.getByRole('button', { name: '24h' }).getAttribute('aria-pressed'), 'true', 'the page state survived the reload');

  // The restored panel is wired to the new window's engine: a new job still reaches it.
  await publishAnsweredJob('fourth, after the reload');
  await waitForCard(content, 'Requests', '4');
});

test('a theme change recolours the chart with the new theme\'s colours, without reloading the page', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const content = webviewContent(page);
  const canvas = content.locator('.chart canvas');
  // The colour drawn at the middle of the one bar, and the theme's chart blue, both as "r,g,b", read in the page. The
  // page's globals come through globalThis: this project's TypeScript has no DOM library.
  const colours = () => canvas.evaluate((element) => {
    const page = globalThis as unknown as PageGlobals;
    const drawnCanvas = element as unknown as CanvasLike;
    const [r, g, b] = drawnCanvas.getContext('2d').getImageData(Math.floor(drawnCanvas.width * 0.6), Math.floor(drawnCanvas.height / 2), 1, 1).data;
    const probe = page.document.createElement('canvas').getContext('2d');
    probe.fillStyle = page.getComputedStyle(page.document.documentElement).getPropertyValue('--vscode-charts-blue').trim();
    probe.fillRect(0, 0, 1, 1);
    const [tr, tg, tb] = probe.getImageData(0, 0, 1, 1).data;
    return { drawn: `${r},${g},${b}`, theme: `${tr},${tg},${tb}`, samePage: page.stillThisPage === true };
  });
  await canvas.evaluate(() => ((globalThis as unknown as PageGlobals).stillThisPage = true));
  const before = await colours();
  assert.equal(before.drawn, before.theme, 'the bar is drawn in the theme\'s chart blue');

  // The palette's command opens the theme picker in the same quick input (runPaletteCommand waits for it to close).
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
  await page.locator('.quick-input-widget .quick-input-box input[aria-label^="Select Color Theme"]').waitFor({ state: 'visible' });
  const light = /\bvscode-light\b/.test((await content.locator('body').getAttribute('class')) ?? '');
  const target = light ? 'Dark Modern' : 'Light Modern';
  await input.fill(target);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: new RegExp(`^${target}`) }).first().waitFor({ state: 'visible' });
  await input.press('Enter');

  let last = before;
  const after = await eventually('the chart redrawn in the new theme\'s blue', async () => {
    last = await colours();
    return last.theme !== before.theme && last.drawn === last.theme ? last : undefined;
  }).catch((error: Error) => assert.fail(`${error.message}; before ${JSON.stringify(before)}, last ${JSON.stringify(last)}`));
  assert.ok(after.samePage, 'the same page recoloured its chart (no reload)');
});
