import type { FrameLocator, Locator, Page } from 'playwright-core';
import { runPaletteCommand } from './browser';

/**
 * Reading and driving Swarmscope's webview panels in the code-server workbench (VS Code 1.100's DOM). A panel's page
 * is nested in two iframes; with retainContextWhenHidden off only shown panels have one, so the ready frame is the
 * shown panel's.
 */

/** The page inside the shown webview panel. */
export function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The editor tab titled `title` (a panel's, or a file's); with `active`, only while it is the one shown in its group. */
export function editorTab(page: Page, title: string, options: { active?: boolean } = {}): Locator {
  return page.locator(options.active ? '.tabs-container .tab.active' : '.tabs-container .tab', { has: page.locator('.label-name', { hasText: title }) }).first();
}

/** Reloads the window as a user would ("Developer: Reload Window") and waits for the workbench to be drawn again. */
export async function reloadWindow(page: Page): Promise<void> {
  await Promise.all([
    page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 }),
    runPaletteCommand(page, 'Developer: Reload Window').catch(() => undefined),
  ]);
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
}
