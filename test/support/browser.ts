import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from './codeServer';

/**
 * Drives the code-server workbench with Debian's Chromium through playwright-core. Selectors are VS Code 1.100's
 * DOM (see ../shared/TESTING.md "Drive it"); every wait has a timeout so a changed DOM fails, never hangs.
 */

export const CHROMIUM_PATH = process.env.SWARMSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');
const DEFAULT_TIMEOUT_MS = 20_000;

export function chromiumInstalled(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Opens a page on the workbench and waits until VS Code has drawn it. */
export async function openWorkbench(browser: Browser, url: string, setUp?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
  // Hooks such as page.exposeFunction must be in place before the workbench script runs.
  if (setUp) await setUp(page);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/**
 * F1, and the palette's input once it shows. A key pressed while a webview has focus reaches the workbench only
 * through the webview's key forwarding, which can drop it while the page is busy: then focus goes back to the
 * workbench's own document and F1 is pressed again.
 */
async function openPalette(page: Page): Promise<Locator> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      return input;
    } catch (error) {
      if (attempt === 3) throw error;
    }
    // A string, evaluated in the page: test files are compiled without the DOM's types.
    await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
  }
}

/** Runs a command by its palette title ("Swarmscope: Show Engine Status"): F1, type, pick the exact row. */
export async function runPaletteCommand(page: Page, title: string): Promise<void> {
  const input = await openPalette(page);
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
  await input.waitFor({ state: 'hidden' });
}

/**
 * Runs a palette command that asks for one value (an input box or a quick pick whose title or prompt shows `prompt`),
 * types `value` and presses Enter: what a user does for "Find Hotkey or UID…" or "Show Weights Matrix".
 */
export async function runPaletteCommandWith(page: Page, title: string, prompt: string, value: string, focusedRow?: string | RegExp): Promise<void> {
  const input = await openPalette(page);
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().click();
  // The title or prompt of the command's own input, not the palette's row that named the command.
  await page.locator('.quick-input-widget :is(.quick-input-title, .quick-input-message)', { hasText: prompt }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(value);
  // A quick pick: Enter takes the focused row, once the list has caught up with what was typed.
  if (focusedRow) await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: focusedRow }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await input.press('Enter');
}

/** Clicks an activity-bar entry by the start of its aria-label ("Swarmscope"). */
export async function openActivity(page: Page, label: string): Promise<void> {
  const item = page.locator(`.activitybar [aria-label^="${cssString(label)}"]`).first();
  await item.waitFor({ state: 'visible' });
  const checked = await item.getAttribute('aria-checked').catch(() => null);
  const selected = await item.getAttribute('aria-selected').catch(() => null);
  if (checked !== 'true' && selected !== 'true') await item.click();
  // Move off the icon so that its hover label does not cover the sidebar in screenshots.
  await page.mouse.move(900, 450);
}

/** The sidebar pane whose header reads `title` (matched case-insensitively: VS Code upper-cases view titles). */
export function viewPane(page: Page, title: string): Locator {
  const header = page.locator('.pane-header', { has: page.locator('h3.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`, 'i') }) });
  return page.locator('.sidebar .pane', { has: header }).first();
}

/** Titles of the views shown in the sidebar, in order. */
export async function viewTitles(page: Page): Promise<string[]> {
  const titles = await page.locator('.sidebar .pane-header h3.title').allTextContents();
  return titles.map((title) => title.trim());
}

/** Expands a collapsed view so its body (tree or welcome) is rendered. */
export async function expandView(page: Page, title: string): Promise<Locator> {
  const pane = viewPane(page, title);
  await pane.waitFor({ state: 'visible' });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/** The welcome (empty-state) text of a view, once it is drawn. */
export async function welcomeText(page: Page, title: string): Promise<string> {
  const pane = await expandView(page, title);
  const welcome = pane.locator('.welcome-view-content').first();
  await welcome.waitFor({ state: 'visible' });
  return (await welcome.innerText()).trim();
}

/** Labels of the rendered tree rows of a view (`.pane-body .monaco-list-row`). */
export async function treeRows(page: Page, title: string): Promise<string[]> {
  const pane = await expandView(page, title);
  const rows = await pane.locator('.pane-body .monaco-list-row').allInnerTexts();
  return rows.map((row) => row.replace(/\s+/g, ' ').trim());
}

export interface StatusBarEntry {
  readonly id: string | null;
  readonly text: string;
  readonly ariaLabel: string;
}

/**
 * Status-bar entries; VS Code gives each an id `<extension id>.<item id>` (or the extension id alone). Read in one
 * pass in the page: item by item, an entry that went away between the count and its read (the history backfill's item
 * comes and goes) held the read until the locator's timeout.
 */
export async function statusBarEntries(page: Page): Promise<StatusBarEntry[]> {
  // The elements are typed loosely: test files are compiled without the DOM's types.
  return page.locator('.part.statusbar .statusbar-item').evaluateAll((items: any[]) => items.map((item) => {
    const label = item.querySelector('a, .statusbar-item-label');
    return {
      id: item.getAttribute('id') as string | null,
      text: String(item.innerText ?? '').replace(/\s+/g, ' ').trim(),
      ariaLabel: (label?.getAttribute('aria-label') ?? item.getAttribute('aria-label') ?? '') as string,
    };
  }));
}

/** Waits until a status-bar entry matches `predicate`; returns it, or fails naming what was there. */
export async function waitForStatusBarEntry(page: Page, predicate: (entry: StatusBarEntry) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<StatusBarEntry> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusBarEntry[] = [];
  while (Date.now() < deadline) {
    last = await statusBarEntries(page);
    const found = last.find(predicate);
    if (found) return found;
    await page.waitForTimeout(250);
  }
  throw new Error(`no matching status-bar entry within ${timeoutMs} ms; entries: ${JSON.stringify(last)}`);
}

/** Waits for a notification toast whose message contains `text`; returns its whole message. */
export async function waitForNotification(page: Page, text: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  // VS Code marks a toast `notification-fade-in-done` once its slide-in animation ends: read (and photograph) it then.
  const message = page.locator('.notification-toast.notification-fade-in-done .notification-list-item-message', { hasText: text }).first();
  try {
    await message.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (error) {
    // Say what was on screen instead: a toast with other words, or a quick input still waiting for an answer.
    const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
    const quickInput = page.locator('.quick-input-widget .quick-input-box input');
    const asking = (await quickInput.isVisible()) ? await quickInput.inputValue() : undefined;
    throw new Error(`no notification "${text}" within ${timeoutMs} ms; toasts shown: ${JSON.stringify(toasts)}; quick input ${asking === undefined ? 'closed' : `open, holding ${JSON.stringify(asking)}`} (${(error as Error).message.split('\n')[0]})`);
  }
  return (await message.innerText()).trim();
}

/** Saves what the user sees to test-results/screenshots/<name>.png (git-ignored) and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function cssString(value: string): string {
  return value.replace(/["\\]/g, '\\$&');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
