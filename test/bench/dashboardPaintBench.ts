import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { WorkbenchSession } from '../e2e/workbenchSession';
import { waitForStatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS, type CodeServer } from '../support/codeServer';
import { closeAllEditors, retryQuickInput } from '../support/tracePanelDriver';
import { webviewContent } from '../support/webviewPanels';
import { describeShellSteps, shellSteps, stampWebviewShell } from './webviewShellTimeline';

const OPENS = 5;
const POLL_MS = 5;

/**
 * Issue 12's "dashboard first paint < 500 ms", in a real VS Code: the packaged .vsix in code-server, driven by
 * Chromium, over a database file holding the bench's 100,000 jobs (put where the extension keeps its database
 * before the workbench starts). From Enter on "Swarmscope: Open DVM Dashboard" until the page shows its metric cards
 * with the figures ("Updated …" in its status line), polled every POLL_MS from outside the page (the dashboard marks
 * nothing itself), over OPENS opens after a first one; the engine then has its statements compiled, as it has
 * after the first minutes of a session. The first open is printed apart.
 */
export async function runDashboardPaintBench(print: (line: string) => void, database: Uint8Array, requests: number): Promise<void> {
  const workbench = new WorkbenchSession('dashboard-bench');
  try {
    await workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.bittensor.trackedSubnets': [] }, {
      beforeWorkbench: (server: CodeServer) => {
        const file = path.join(server.userDataDir, 'User', 'globalStorage', 'swarmscope.swarmscope', 'swarmscope.db');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, database);
      },
    });
    const page = workbench.page;
    await stampWebviewShell(page);
    const loadStarted = Date.now();
    await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /running/i.test(item.ariaLabel), 120_000);
    print(`dashboard bench: engine running over the ${(database.byteLength / 1e6).toFixed(0)} MB database ${Date.now() - loadStarted} ms after the workbench showed`);

    const first = await openAndTime(page);
    const content = webviewContent(page);
    const shown = await content.locator('.cards').innerText();
    const opens: Timing[] = [];
    for (let run = 0; run < OPENS; run++) {
      await closeAllEditors(page);
      opens.push(await openAndTime(page));
    }
    // Where the page's time went on the last open: its bundles' loads (ms since its navigation).
    const loads = await webviewContent(page).locator(':root').evaluate(`performance.getEntriesByType('resource').filter((entry) => /\\.(js|css)(\\?|$)/.test(entry.name))
      .map((entry) => entry.name.split('/').pop().split('?')[0] + ' ' + entry.startTime.toFixed(0) + '–' + entry.responseEnd.toFixed(0)).join(', ')`) as string;
    const median = (pick: (timing: Timing) => number) => opens.map(pick).sort((a, b) => a - b)[Math.floor(OPENS / 2)];
    const max = (pick: (timing: Timing) => number) => Math.max(...opens.map(pick));
    const requestsShown = /Requests\s*([\d,.\s]+)/.exec(shown)?.[1]?.replace(/\D/g, '');
    print(`dashboard first paint in code-server, ${requests} requests stored: Enter → metric cards painted with figures: first open ${first.total} ms, ` +
      `then median ${median((t) => t.total)} ms, max ${max((t) => t.total)} ms over ${OPENS} opens (goal < 500 ms; polled every ${POLL_MS} ms); ` +
      `of which Enter → the page's navigation start median ${median((t) => t.toPage)} ms, its navigation → cards painted median ${median((t) => t.inPage)} ms; ` +
      `its Requests card read ${requestsShown ?? JSON.stringify(shown.slice(0, 80))}`);
    print(`dashboard first paint, VS Code's webview shell step by step on the last open (ms since Enter): ${describeShellSteps(await shellSteps(page, opens[OPENS - 1].pressedAt))}`);
    print(`dashboard first paint, the page's loads on the last open (ms since its navigation): ${loads}`);
  } finally {
    await workbench.close();
  }
}

/** Enter → cards painted (total), split at the page's navigation start (performance.timeOrigin in its frame). */
interface Timing { readonly pressedAt: number; readonly total: number; readonly toPage: number; readonly inPage: number }

/** Enter on the palette command → the cards are drawn and the status says the figures arrived, in ms. */
async function openAndTime(page: Page): Promise<Timing> {
  let pressedAt = 0;
  await retryQuickInput(page, async (input) => {
    await input.fill('>Swarmscope: Open DVM Dashboard', { timeout: 5_000 });
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Open DVM Dashboard' }).first().waitFor({ state: 'visible', timeout: 5_000 });
    pressedAt = Date.now();
    await input.press('Enter', { timeout: 5_000 });
  });
  const origin = await painted(webviewContent(page));
  const total = Date.now() - pressedAt;
  return { pressedAt, total, toPage: Math.round(origin - pressedAt), inPage: Math.round(pressedAt + total - origin) };
}

/** Polls until the figures are on the page; returns the page's navigation start (epoch ms). */
async function painted(content: FrameLocator, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const origin = await content.locator(':root').evaluate(
      `(() => { const cards = document.querySelector('.cards'); const status = document.querySelector('.status');
        return !!cards && cards.children.length > 0 && !!status && status.textContent.startsWith('Updated') ? performance.timeOrigin : 0; })()`,
      undefined, { timeout: 1_000 }).catch(() => 0) as number;
    if (origin > 0) return origin;
    if (Date.now() > deadline) throw new Error(`the dashboard showed no figures within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
