import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually';

/**
 * Reading and driving a VS Code tree view in the workbench DOM (VS Code 1.100's list rows). Every wait has a
 * timeout and fails naming what was there instead.
 */

const ROWS = '.pane-body .monaco-list-row';

/** The rendered rows of a view's tree, each as [label, description]. */
async function rowParts(pane: Locator): Promise<[string, string][]> {
  // No named helper inside: tsx wraps named functions in `__name(…)`, which does not exist in the page.
  return pane.locator(ROWS).evaluateAll((rows) => rows.map((row): [string, string] =>
    [row.querySelector('.label-name')?.textContent ?? '', row.querySelector('.label-description')?.textContent ?? '']));
}

const joined = ([label, description]: [string, string]) => `${label} ${description}`.replace(/\s+/g, ' ').trim();

/** The rendered rows of a view's tree, each as "label description" (read apart: innerText runs them together). */
export async function rowTexts(pane: Locator): Promise<string[]> {
  return (await rowParts(pane)).map(joined);
}

/**
 * Waits until a row matches every pattern, polling the DOM; fails naming the rows that were there. Returns the row,
 * held by its label rather than its position: a live refresh may reorder rows (a DVM moves when its data arrives)
 * before the caller uses it. Rows sharing a label ("Kinds", "Recent jobs") are told apart by their order.
 */
export async function waitForRow(pane: Locator, patterns: readonly RegExp[], timeoutMs = 15_000): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  for (;;) {
    const parts = await rowParts(pane);
    last = parts.map(joined);
    const index = last.findIndex((text) => patterns.every((pattern) => pattern.test(text)));
    if (index >= 0) {
      const label = parts[index][0];
      const before = parts.slice(0, index).filter(([other]) => other === label).length;
      const exactly = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
      return pane.locator(ROWS).filter({ has: pane.page().locator('.label-name', { hasText: exactly }) }).nth(before);
    }
    if (Date.now() > deadline) break;
    await pane.page().waitForTimeout(150);
  }
  throw new Error(`no row matching ${patterns.join(' and ')} within ${timeoutMs} ms; rows: ${JSON.stringify(last.slice(0, 30))}`);
}

/**
 * Expands a collapsible row by clicking it (VS Code's default single-click expand) unless it is open already. The
 * row is found again before each look, by its label and depth (the one nearest where it was, should several DVMs
 * show a "Kinds" row): a live refresh re-renders the tree, so the element or position found a moment ago may by
 * then be another row, and a click landing mid-render is lost.
 */
export async function expandRow(row: Locator, timeoutMs = 15_000): Promise<void> {
  const rows = row.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " pane-body ")][1]').locator('.monaco-list-row');
  const [label, level, index] = await row.evaluate((element) => [
    element.querySelector('.label-name')?.textContent ?? '', element.getAttribute('aria-level') ?? '', String([...(element.closest('.pane-body')?.querySelectorAll('.monaco-list-row') ?? [])].indexOf(element)),
  ]);
  const find = async (): Promise<Locator | undefined> => {
    const shown = await rows.evaluateAll((elements) => elements.map((element) => [element.querySelector('.label-name')?.textContent ?? '', element.getAttribute('aria-level') ?? '']));
    const matches = shown.map(([text, depth], at) => (text === label && depth === level ? at : -1)).filter((at) => at >= 0);
    if (matches.length === 0) return undefined;
    const nearest = matches.reduce((best, at) => (Math.abs(at - Number(index)) < Math.abs(best - Number(index)) ? at : best));
    return rows.nth(nearest);
  };
  const deadline = Date.now() + timeoutMs;
  let expanded: string | null = null;
  for (;;) {
    const target = await find();
    expanded = target ? await target.getAttribute('aria-expanded', { timeout: 1_000 }).catch(() => null) : null;
    if (expanded === 'true') return;
    if (Date.now() > deadline) throw new Error(`the row "${label}" (level ${level}) did not expand within ${timeoutMs} ms (aria-expanded: ${expanded})`);
    // Clicked only when seen collapsed, then given time to open before looking again: never a second toggle.
    if (target && expanded === 'false') {
      await target.click({ timeout: 2_000 }).catch(() => undefined);
      await eventually(`"${label}" to open`, async () => (await (await find())?.getAttribute('aria-expanded', { timeout: 500 })) === 'true', 2_000).catch(() => undefined);
    } else {
      await row.page().waitForTimeout(150);
    }
  }
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

/**
 * Runs an action from a row's context menu and waits until `opened` says its result is there. A click that lands
 * on the menu just as it is drawn is sometimes swallowed (seen: nothing opened and the menu stayed open), so the
 * menu is opened and the action clicked again while nothing has opened.
 */
export async function runRowContextAction(row: Locator, action: string, opened: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const item = row.page().locator('.context-view .action-label', { hasText: action }).first();
  await eventually(`"${action}" from the row's context menu to open its result`, async () => {
    if (await opened()) return true;
    if (!(await item.isVisible())) await row.click({ button: 'right', timeout: 2_000 });
    await item.click({ timeout: 2_000 });
    return eventually(`"${action}" to open`, opened, 3_000).then(() => true, () => false);
  }, timeoutMs);
}
