import type { FrameLocator, Locator, Page } from 'playwright-core';
import { editorTab, webviewContent } from './webviewPanels';

/**
 * Driving the job-trace panel in the code-server workbench, for its UI test and its benchmark: opening it from the
 * palette's quick pick, finding its page, reading its timeline.
 */

/**
 * "Open Job Trace" from the palette, with `reference` typed into its quick pick. A webview that is shown takes the
 * focus a moment later (VS Code focuses it asynchronously), which closes a quick input opened meanwhile: a closed one
 * is opened again.
 */
export async function openTraceFromPalette(page: Page, reference: string, beforeEnter?: () => void): Promise<void> {
  await retryQuickInput(page, async (input) => {
    await input.fill('>Swarmscope: Open Job Trace', { timeout: 5_000 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Open Job Trace' }).first().click({ timeout: 5_000 });
    await page.locator('.quick-input-widget .quick-input-box input[placeholder^="Paste an event id"]').waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(reference, { timeout: 5_000 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Trace / }).first().waitFor({ state: 'visible', timeout: 5_000 });
    beforeEnter?.();
    await input.press('Enter', { timeout: 5_000 });
  });
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'hidden', timeout: 30_000 });
}

export async function closeAllEditors(page: Page): Promise<void> {
  await retryQuickInput(page, async (input) => {
    await input.fill('>View: Close All Editors', { timeout: 5_000 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'View: Close All Editors' }).first().click({ timeout: 5_000 });
  });
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
}

export async function retryQuickInput(page: Page, steps: (input: Locator) => Promise<void>): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await steps(input);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * The trace panel's page, once its tab (titled by the job) is the active one and its timeline drawn. Active, not only
 * open: a panel of that job opened earlier keeps its tab while another editor is in front, and the page read below is
 * whichever webview is shown.
 */
export async function tracePanel(page: Page, requestId: string): Promise<FrameLocator> {
  await editorTab(page, `Job Trace · ${requestId.slice(0, 8)}`, { active: true }).waitFor({ state: 'visible', timeout: 30_000 });
  const content = webviewContent(page);
  await content.locator('table.timeline tbody tr').first().waitFor({ state: 'visible', timeout: 30_000 });
  return content;
}

/** Event ids the timeline lists, in order. */
export function timelineIds(content: FrameLocator): Promise<string[]> {
  return content.locator('table.timeline tbody tr').evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: Record<string, string> }).dataset.eventId ?? ''));
}

