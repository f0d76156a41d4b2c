import type { Page } from 'playwright-core';
import { eventually } from './eventually';

/**
 * Answers code-server's simple file dialog (a quick input, not a native window) with `target`.
 *
 * The dialog opens at once but reads its folder afterwards; when the read ends it sets its own value (the folder, or
 * the suggested file name) and its list. A path typed before then is overwritten, and Enter on the folder only walks
 * into it: the dialog stays open and the command waits forever. So the dialog must first show it has read the
 * folder (`ready`: its value holds the suggested name, or its list shows a file's row); only then is the path typed,
 * checked, and accepted, and the dialog must close.
 */
export async function answerFileDialog(page: Page, target: string, ready: { value: string } | { row: string }, timeoutMs = 30_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  if ('value' in ready) {
    await eventually(`the file dialog to suggest ${ready.value}`, async () => (await input.inputValue()).includes(ready.value), timeoutMs);
  } else {
    await widget.locator('.monaco-list-row', { hasText: ready.row }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }
  await eventually(`the file dialog to hold ${target}`, async () => {
    if ((await input.inputValue()) !== target) await input.fill(target);
    return (await input.inputValue()) === target;
  }, timeoutMs);
  await input.press('Enter');
  try {
    await input.waitFor({ state: 'hidden', timeout: timeoutMs });
  } catch {
    throw new Error(`the file dialog stayed open after Enter, holding "${await input.inputValue()}" (wanted "${target}")`);
  }
}
