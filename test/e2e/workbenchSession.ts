import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, screenshot } from '../support/browser';
import { startCodeServer, type CodeServer } from '../support/codeServer';
import { ensureVsix } from './freshBuild';
import { assertE2eToolsInstalled } from './requirements';

/**
 * The packaged extension in its own code-server, opened in Chromium: what every e2e file starts from. `name` labels
 * the timing lines and the screenshot taken when the file ends (`<name>-last`, whatever state the tests left).
 */
export class WorkbenchSession {
  private server: CodeServer | undefined;
  private browser: Browser | undefined;
  private opened: Page | undefined;
  private readonly started = Date.now();

  constructor(private readonly name: string) {}

  /**
   * Starts code-server with these user settings and the built (or SWARMSCOPE_E2E_VSIX) .vsix, then the page. `env`
   * reaches the extension host; `beforeWorkbench` runs once the server is up and before the page (and so the
   * extension) starts, e.g. to put a file where the extension will look.
   */
  async open(userSettings: Record<string, unknown>, options: { env?: Record<string, string>; beforeWorkbench?: (server: CodeServer) => void } = {}): Promise<CodeServer> {
    assertE2eToolsInstalled();
    const vsix = process.env.SWARMSCOPE_E2E_VSIX ?? ensureVsix();
    this.server = await startCodeServer({ userSettings, vsix, ...(options.env ? { env: options.env } : {}) });
    options.beforeWorkbench?.(this.server);
    this.browser = await launchBrowser();
    this.opened = await openWorkbench(this.browser, this.server.url);
    console.log(`${this.name}: code-server and workbench ready in ${Date.now() - this.started} ms`);
    return this.server;
  }

  get page(): Page {
    if (!this.opened) throw new Error('the workbench did not open (see before)');
    return this.opened;
  }

  /**
   * Another window of the same code-server on another folder: its own extension host, but the same user data, so the
   * same profile and global storage (and so the same database) as the first window.
   */
  async openWindow(folder: string): Promise<Page> {
    if (!this.server || !this.browser) throw new Error('open() the first window before another');
    const url = new URL(this.server.url);
    url.searchParams.set('folder', folder);
    return openWorkbench(this.browser, url.toString());
  }

  async close(): Promise<void> {
    if (this.opened) await screenshot(this.opened, `${this.name}-last`).catch(() => undefined);
    await this.browser?.close();
    await this.server?.stop();
    console.log(`${this.name}: whole file took ${Date.now() - this.started} ms`);
  }
}
