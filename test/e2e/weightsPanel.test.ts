import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, waitForStatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS } from '../support/codeServer';
import { startReplayNode, type ReplayNode } from '../support/replayNode';
import { editorTab, reloadWindow, webviewContent } from '../support/webviewPanels';
import { WorkbenchSession } from './workbenchSession';

/**
 * The Weights panel in the packaged extension, fed by the replay node's `weights` seed: storage Weights of
 * netuid 23 recorded on finney at block 3,264,158 (UID 10 gives all its weight to itself). Opened from the
 * command palette, as a user would; what the webview shows is read from inside its frame. After a window reload the
 * panel comes back for the same subnet, with the column width the user chose. Screenshot: weights-panel.
 */

const NETUID = 23;
const BLOCK = 3_264_158;

let node: ReplayNode | undefined;
const workbench = new WorkbenchSession('weights-panel');

before(async () => {
  node = await startReplayNode({ seed: 'weights' });
  await workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.bittensor.endpoint': node.url, 'swarmscope.bittensor.trackedSubnets': [] });
}, { timeout: 300_000 });

after(async () => {
  await workbench.close();
  await node?.stop();
});

test('Show Weights Matrix asks for a netuid and draws the recorded weights of subnet 23', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.'), 30_000);

  // The palette command; with no subnet known to the engine it asks for a netuid.
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Swarmscope: Show Weights Matrix');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Show Weights Matrix' }).first().click();
  await page.locator('.quick-input-widget', { hasText: 'Netuid of the subnet' }).waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(String(NETUID));
  await input.press('Enter');

  const content = webviewContent(page);
  const title = content.locator('h1');
  await title.filter({ hasText: `Subnet ${NETUID} weights at block ${BLOCK.toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 30_000 });
  const body = await content.locator('body').innerText();
  assert.match(body, /1 row × 1 target · 1 weight set/, body.slice(0, 600));
  assert.match(body, /Read from the chain at/);
  assert.doesNotMatch(body, /Could not|Refused/);
  const heatmap = content.locator('canvas[role="img"]').first();
  assert.match((await heatmap.getAttribute('aria-label')) ?? '', /1/);
  const box = await heatmap.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the heatmap is drawn with a size');

  // The agreement tables are real tables with UID 10 in them.
  const tables = content.locator('table');
  assert.ok((await tables.count()) >= 1);
  assert.match(await tables.first().innerText(), /\b10\b/);

  // The panel was opened by reading the chain: the replay node saw the Weights keys of netuid 23 paged.
  assert.ok(node!.requests.some((request) => request.method === 'state_getKeysPaged' && /a1e7036061f484bc3048a64b64e35ec41700$/i.test(String(request.params[0]))));
  await screenshot(page, 'weights-panel');
});

test('after a window reload the panel comes back for subnet 23, with the column width chosen', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  let content = webviewContent(page);
  await content.locator('select#column-width').selectOption({ label: '8 px' });
  const readsBefore = node!.requests.length;

  await reloadWindow(page);
  await editorTab(page, `Weights · SN${NETUID}`).waitFor({ state: 'visible', timeout: 30_000 });
  content = webviewContent(page);
  await content.locator('h1').filter({ hasText: `Subnet ${NETUID} weights at block ${BLOCK.toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 60_000 });
  assert.match(await content.locator('body').innerText(), /1 row × 1 target · 1 weight set/);
  assert.equal(await content.locator('select#column-width').inputValue(), '8');
  // The restored panel read the chain again in the new window (the old window's answer went with it).
  assert.ok(node!.requests.slice(readsBefore).some((request) => request.method === 'state_getKeysPaged'));
});
