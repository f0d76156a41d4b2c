import * as fs from 'node:fs';
import { NotificationRouter } from '../../src/panels/notificationRouter';
import { PanelSession } from '../../src/panels/panelSession';
import { SubnetPanel } from '../../src/panels/subnetPanel';
import { subnetProtocol } from '../../src/protocol/subnetPanelProtocol';
import type { Engine } from '../../src/engine/engine';
import { chromiumInstalled, launchBrowser } from '../support/browser';
import { bundlePath, openBundlePage, postToPage } from './webviewBundlePage';

/** How long Play runs: one pass of 64 frames at the page's 20 fps. */
const PLAY_MS = 3_200;

/**
 * Issue 13's bar "a 64-frame animation plays at ≥ 20 frames per second in the webview": the built Subnet page
 * (dist/webview/subnet.js) in headless Chromium, talking to the real host side of the panel (PanelSession +
 * SubnetPanel) over the bench's engine, so the overview and the `frames` pages are the engine's own answers. The
 * page's saved state opens the Animation tab on a block range of 64 complete snapshots; Play runs one pass.
 *
 * The page draws a frame in its 50 ms interval timer, so the harness wraps setInterval (before the bundle runs) to
 * time each draw, and counts in requestAnimationFrame the frames whose position text reached a rendered frame.
 */
export async function runSubnetAnimationBench(print: (line: string) => void, engine: Engine, range: { fromBlock: number; toBlock: number }): Promise<void> {
  if (!chromiumInstalled() || !fs.existsSync(bundlePath('subnet'))) {
    print('metagraph: animation in the webview skipped (no Chromium, or the webview bundle is not built: node esbuild.mjs)');
    return;
  }
  const browser = await launchBrowser();
  const warnings: string[] = [];
  const session = new PanelSession({
    name: 'subnet bench', protocol: subnetProtocol, router: new NotificationRouter(), visible: true,
    log: { warn: (message) => warnings.push(message) },
    // The page posts ready while its bundle loads, before openBundlePage returns it.
    port: { postMessage: async (message) => postToPage((await opened).page, message).then(() => true) },
  });
  session.attach(new SubnetPanel(session, {
    engine: { request: (method, params) => engine.call(method, params) },
    actions: { save: async () => undefined },
  }, 1));
  const opened = openBundlePage(browser, {
    bundle: 'subnet', styles: ['webview.css', 'subnet.css'],
    state: { subject: 1, ui: { tab: 'animation', rangeBy: 'block', ...range } },
    onPost: (message) => session.receive(message),
    beforeBundle: `(() => {
      window.benchDraws = [];
      const setIntervalFirst = window.setInterval;
      window.setInterval = (callback, ms, ...rest) => setIntervalFirst(() => {
        const started = performance.now();
        callback(...rest);
        window.benchDraws.push([started, performance.now()]);
      }, ms);
      window.benchPresented = 0;
      let shown = null;
      const watch = () => {
        const text = document.getElementById('animation-position')?.textContent ?? null;
        if (text !== shown) window.benchPresented++;
        shown = text;
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    })()`,
  });
  try {
    const { page, errors } = await opened;
    const position = page.locator('#animation-position');
    await position.filter({ hasText: /frame 1 of \d+/ }).waitFor({ timeout: 60_000 });
    const positionText = (await position.textContent()) ?? '';
    const canvasLabel = (await page.locator('canvas[aria-label^="Animation frame:"]').getAttribute('aria-label', { timeout: 10_000 })) ?? '';
    // Play and Pause from inside the page, so that the driver's round trips are not in the window measured.
    const played = await page.evaluate<{ draws: [number, number][]; presented: number; elapsed: number }>(`new Promise((resolve) => {
      window.benchDraws = [];
      window.benchPresented = 0;
      const started = performance.now();
      document.getElementById('animation-play').click();
      setTimeout(() => {
        document.getElementById('animation-play').click();
        resolve({ draws: window.benchDraws, presented: window.benchPresented, elapsed: performance.now() - started });
      }, ${PLAY_MS});
    })`);
    const frames = /frame 1 of (\d+)/.exec(positionText)?.[1] ?? '?';
    const uids = /: (\d+) UIDs/.exec(canvasLabel)?.[1] ?? '?';
    const { draws, presented, elapsed } = played;
    // The rate the frames actually came at: draws over the time from the first draw to the last.
    const span = draws.length > 1 ? draws[draws.length - 1][0] - draws[0][0] : NaN;
    const fps = ((draws.length - 1) / span) * 1_000;
    const gaps = draws.slice(1).map(([started], i) => started - draws[i][0]);
    const times = draws.map(([started, ended]) => ended - started).sort((a, b) => a - b);
    const at = (share: number) => times[Math.min(times.length - 1, Math.floor(share * times.length))]?.toFixed(1) ?? '?';
    print(`metagraph: animation in the webview (${frames} frames of miners, ${uids} dots each, Chromium): Play for ${(elapsed / 1000).toFixed(1)} s drew ${draws.length} frames, ` +
      `${fps.toFixed(1)} frames per second (bar ≥ 20 fps), ${(presented / (elapsed / 1000)).toFixed(1)} per second reached the screen; longest gap ${Math.max(...gaps).toFixed(0)} ms`);
    print(`metagraph:   per-frame draw (scatter points, colours, chart update): median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${times[times.length - 1]?.toFixed(1) ?? '?'} ms (the timer allows 50 ms)`);
    if (errors.length > 0 || warnings.length > 0) print(`metagraph:   page errors / host warnings: ${[...errors, ...warnings].join('; ')}`);
  } finally {
    session.dispose();
    await browser.close();
  }
}
