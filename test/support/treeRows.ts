import type { Locator, Page } from 'playwright-core';

/**
 * Reading and driving a VS Code tree view in the workbench DOM (VS Code 1.100's list rows). Every wait has a
 * timeout and fails naming what was there instead.
 */

const ROWS = '.pane-body .monaco-list-row';

/** The rendered rows of a view's tree, each as "label description" (read apart: innerText runs them together). */
export async function rowTexts(pane: Locator): Promise<string[]> {
  // No named helper inside: tsx wraps named functions in `__name(…)`, which does not exist in the page.
  const texts = await pane.locator(ROWS).evaluateAll((rows) => rows.map((row) =>
    [row.querySelector('.label-name')?.textContent ?? '', row.querySelector('.label-description')?.textContent ?? '']));
  return texts.map(([label, description]) => `${label} ${description}`.replace(/\s+/g, ' ').trim());
}

/** Waits until a row matches every pattern, polling the DOM; fails naming the rows that were there. Returns the row. */
export async function waitForRow(pane: Locator, patterns: readonly RegExp[], timeoutMs = 15_000): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  for (;;) {
    last = await rowTexts(pane);
    const index = last.findIndex((text) => patterns.every((pattern) => pattern.test(text)));
    if (index >= 0) return pane.locator(ROWS).nth(index);
    if (Date.now() > deadline) break;
    await pane.page().waitForTimeout(150);
  }
  throw new Error(`no row matching ${patterns.join(' and ')} within ${timeoutMs} ms; rows: ${JSON.stringify(last.slice(0, 30))}`);
}

/** Expands a collapsible row by clicking it (VS Code's default single-click expand) unless it is open already. */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await row.page().waitForFunction((element) => element?.getAttribute('aria-expanded') === 'true', await row.elementHandle(), { timeout: 10_000 });
}

/** Rows at one depth of the tree that follow the row matching `parent` (its children while it is expanded). */
export async function childTexts(pane: Locator, parent: RegExp, level: number): Promise<string[]> {
  const texts = await rowTexts(pane);
  const levels = await pane.locator(ROWS).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-level')));
  const start = texts.findIndex((text) => parent.test(text));
  const children: string[] = [];
  for (let index = start + 1; index < texts.length && Number(levels[index]) >= level; index++) {
    if (Number(levels[index]) === level) children.push(texts[index]);
  }
  return children;
}

/** Drags the sash between sidebar and editor so that descriptions are not cut off (in screenshots too). */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the sidebar is not shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(box.x + width + 400, y);
}
