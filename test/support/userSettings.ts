import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { runPaletteCommand } from './browser';
import type { CodeServer } from './codeServer';
import { eventually } from './eventually';

/**
 * Changes user settings in a running code-server as a user does: "Open User Settings (JSON)", the new text pasted
 * in, saved. Rewriting settings.json from outside is not enough: code-server does not notice a file in its user
 * data folder changed behind its back (seen here: the extension never heard of the change), so the configuration
 * change has to go through the workbench's own save.
 */
export async function editUserSettings(page: Page, server: CodeServer, changes: Record<string, unknown>): Promise<void> {
  const file = path.join(server.userDataDir, 'User', 'settings.json');
  const text = JSON.stringify({ ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>), ...changes }, null, 2);
  await runPaletteCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).waitFor({ state: 'visible' });
  // Pasted: typed, the editor would auto-close every bracket and quote.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  // A string, evaluated in the page: test files are compiled without the DOM's types.
  // The editor clicked first: the clipboard refuses a write from a document that does not have the focus.
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await page.keyboard.press('Control+S');
  await eventually('settings.json saved with the new text', () => fs.readFileSync(file, 'utf8') === text, 10_000);
  await runPaletteCommand(page, 'View: Close All Editors');
}
