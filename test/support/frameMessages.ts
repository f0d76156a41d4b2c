import type { Page } from 'playwright-core';

/**
 * Records every `message` event that any frame below the workbench receives (webview hosts and the panels' pages
 * in them), as JSON, from the moment it is installed. It lives in the test, not in the page: Playwright runs the
 * init script in every frame it sees attach, and the binding carries each message out at once, so a page that is
 * later hidden or reloaded (its frame gone) has already handed over what it got.
 */
export async function recordFrameMessages(page: Page): Promise<readonly string[]> {
  const received: string[] = [];
  await page.exposeBinding('swarmscopeRecordMessage', (_source, data: string) => {
    received.push(data);
  });
  // A string: test files are compiled without the DOM's types. The workbench's own frame is left out (it hears its
  // webviews talking back, not what they were sent). VS Code writes a panel's page into its frame with
  // document.open/write/close, and document.open erases the window's listeners (HTML "document open steps"): the
  // listener is added again each time a document of this frame is closed.
  await page.addInitScript(`if (window.top !== window) {
    const listen = () => window.addEventListener('message', (event) => {
      let text;
      try { text = JSON.stringify(event.data); } catch { text = String(event.data); }
      window.swarmscopeRecordMessage(text ?? 'undefined');
    });
    listen();
    const close = Document.prototype.close;
    Document.prototype.close = function () {
      const result = close.call(this);
      if (this === document) listen();
      return result;
    };
  }`);
  return received;
}
