import type { Locator } from 'playwright-core';

/**
 * The text a Monaco editor shows, line by line in document order. Monaco recycles its line elements, so their order
 * in the DOM is not the order on screen (a full CI run read "}" first after a click scrolled the editor); each line's
 * `top` says where it is drawn. Spaces are drawn as U+00A0 and are read back as spaces.
 */
export async function shownEditorText(editor: Locator): Promise<string> {
  const lines = editor.locator('.view-lines').first().locator(':scope > .view-line');
  const shown: Array<{ top: number; text: string }> = [];
  for (const line of await lines.all()) {
    const top = /top:\s*(-?[\d.]+)px/.exec((await line.getAttribute('style')) ?? '')?.[1];
    shown.push({ top: top === undefined ? 0 : Number(top), text: (await line.textContent()) ?? '' });
  }
  return shown.sort((a, b) => a.top - b.top).map((line) => line.text).join('\n').replace(/\u00a0/g, ' ');
}
