import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { screenshot, waitForStatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS, type CodeServer } from '../support/codeServer';
import { eventually } from '../support/eventually';
import { startReplayNode, type ReplayNode } from '../support/replayNode';
import { blockOfStep, HISTORY_STEPS, LEFT_AT_STEP, onePassPearson, VALIDATOR_UID, WEIGHTS_HEAD, weightsHistoryScene } from '../support/weightsHistoryScene';
import { editorTab, reloadWindow, webviewContent } from '../support/webviewPanels';
import { assertShownAsText, HTML_PAYLOADS, ICON_SYNTAX } from '../support/xssPayloads';
import { WorkbenchSession } from './workbenchSession';

/**
 * The Weights panel in the packaged extension, fed by the replay node's `weights` seed as an archive node: storage
 * Weights of netuid 23 recorded on finney at block 3,264,158 (UID 10 gives all its weight to itself), answered at
 * every past block. The database holds five snapshots of netuid 23 derived from the recorded metagraph
 * (test/support/weightsHistoryScene.ts; UID 10's coldkey has a hostile identity name), put in place before the
 * window starts. Opened from the command palette, as a user would; what the webview shows is read from inside its
 * frame. The block picker reads a stored block and a typed one, and names the node's refusal when it turns pruned;
 * the clusters table, the map, a validator's weights over time and the stake correlation are checked against the
 * scene. After a window reload the panel comes back for the same subnet, with the column width the user chose.
 * Screenshot: weights-panel.
 */

const NETUID = 23;
const BLOCK = WEIGHTS_HEAD;
const IDENTITY = `${HTML_PAYLOADS.imgOnerror} ${HTML_PAYLOADS.svgOnload} ${HTML_PAYLOADS.script} ${ICON_SYNTAX} Validator`;
const scene = weightsHistoryScene(IDENTITY);

let node: ReplayNode | undefined;
let database: string | undefined;
const workbench = new WorkbenchSession('weights-panel');

function databasePath(server: CodeServer): string {
  return path.join(server.userDataDir, 'User', 'globalStorage', 'swarmscope.swarmscope', 'swarmscope.db');
}

/** The scene's snapshots saved through the engine's own save path into a database file, before any window opens. */
async function storedScene(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-weights-e2e-')), 'swarmscope.db');
  const { store } = await Store.open({ path: file, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
  const bittensor = createSqliteBittensorStore(store.db);
  const now = Math.floor(Date.now() / 1000);
  for (const snapshot of scene.snapshots) await recordSnapshot(bittensor, snapshot, { now, headBlock: BLOCK });
  store.markDirty();
  await store.close();
  return file;
}

before(async () => {
  database = await storedScene();
  node = await startReplayNode({ seed: 'weights', archive: true });
  await workbench.open({
    ...OFFLINE_SWARMSCOPE_SETTINGS,
    'swarmscope.bittensor.endpoint': node.url,
    'swarmscope.bittensor.archiveEndpoint': node.url,
    'swarmscope.bittensor.trackedSubnets': [],
  }, {
    beforeWorkbench: (server) => {
      fs.mkdirSync(path.dirname(databasePath(server)), { recursive: true });
      fs.copyFileSync(database!, databasePath(server));
    },
  });
}, { timeout: 300_000 });

after(async () => {
  await workbench.close();
  await node?.stop();
  if (database) fs.rmSync(path.dirname(database), { recursive: true, force: true });
});

test('Show Weights Matrix offers the stored subnet 23 and draws its recorded weights', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.'), 30_000);

  // The palette command; it lists the subnets the engine knows (here from the stored snapshots).
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Swarmscope: Show Weights Matrix');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Show Weights Matrix' }).first().click();
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: `${NETUID} ${scene.snapshots[0].name}` }).first().waitFor({ state: 'visible', timeout: 15_000 });
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
});

test('the block picker lists the stored blocks and another block; a stored block and a typed one are read from the archive node', { timeout: 90_000 }, async () => {
  const content = webviewContent(workbench.page);
  const picker = content.locator('select#block-picker');
  const stored = scene.snapshots.map((snapshot) => String(snapshot.block)).reverse();
  await eventually('the stored blocks in the picker', async () => (await picker.locator('option').count()) === stored.length + 2);
  assert.deepEqual(await picker.locator('option').evaluateAll((options) => options.map((option) => option.getAttribute('value'))), ['head', ...stored, 'other']);

  await picker.selectOption(String(blockOfStep(1)));
  await content.locator('h1').filter({ hasText: `weights at block ${blockOfStep(1).toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await picker.inputValue(), String(blockOfStep(1)));

  const typed = blockOfStep(0) - 12_345;
  await picker.selectOption('other');
  await content.locator('input#other-block').fill(String(typed));
  await content.locator('.other-block button', { hasText: 'Read' }).click();
  await content.locator('h1').filter({ hasText: `weights at block ${typed.toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 30_000 });
  // Read at that block: the node was asked for its hash.
  assert.ok(node!.requests.some((request) => request.method === 'chain_getBlockHash' && Number(request.params[0]) === typed));

  // A node that cannot serve a past block is named, with the reason.
  node!.setPruned(true);
  try {
    const refused = typed - 1;
    await content.locator('input#other-block').fill(String(refused));
    await content.locator('.other-block button', { hasText: 'Read' }).click();
    const status = content.locator('header .status');
    await status.filter({ hasText: `Could not read the weights of subnet ${NETUID} at block ${refused.toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await status.innerText(), /no longer has the state of block \d+: it is a pruned \(non-archive\) node/);
  } finally {
    node!.setPruned(false);
  }
  await picker.selectOption(String(blockOfStep(HISTORY_STEPS - 1)));
  await content.locator('h1').filter({ hasText: `weights at block ${blockOfStep(HISTORY_STEPS - 1).toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 30_000 });
});

test('clusters are a table naming each validator as text, and the map draws a dot that names its hotkey', { timeout: 60_000 }, async () => {
  const content = webviewContent(workbench.page);
  const validator = scene.snapshots.at(-1)!.neurons.find((neuron) => neuron.uid === VALIDATOR_UID)!;
  const clusters = content.locator('table.clusters tbody tr');
  assert.equal(await clusters.count(), 1);
  assert.deepEqual(await clusters.first().locator('td').evaluateAll((cells) => cells.slice(0, 3).map((cell) => cell.textContent)), ['1', '1', '–']);
  assert.equal(await clusters.first().locator('li[data-uid]').getAttribute('data-uid'), String(VALIDATOR_UID));
  assert.equal((await clusters.first().locator('.identity').textContent())?.trim(), IDENTITY);
  await assertShownAsText(content, [IDENTITY], 'the weights panel');

  const map = content.locator('canvas.embedding-canvas');
  const box = await map.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the map is drawn with a size');
  assert.match((await map.getAttribute('aria-label')) ?? '', /^Map of 1 validators by their weights/);
  const readout = content.locator('.map-readout');
  const expected = `UID ${VALIDATOR_UID} · ${validator.hotkey} · ${IDENTITY} · cluster 1`;
  // The pointer over the map names the nearest dot; leaving the map clears it.
  await map.hover();
  await eventually('the hovered dot read out', async () => (await readout.textContent()) === expected);
  await workbench.page.mouse.move(5, 5);
  await eventually('the read-out cleared', async () => !(await readout.textContent())?.includes(validator.hotkey));
  // The keyboard reaches the same dot.
  await map.focus();
  await map.press('ArrowRight');
  await eventually('the dot read out by the keyboard', async () => (await readout.textContent()) === expected);
});

test('a validator\'s weights over the stored snapshots: all to itself, nothing while it was deregistered', { timeout: 90_000 }, async () => {
  const content = webviewContent(workbench.page);
  await content.locator('select#history-validator').selectOption(scene.validatorHotkey);
  await content.locator('.validator-history button', { hasText: 'Show' }).click();
  const rows = content.locator('table.history-table tbody tr');
  await eventually('the history table', async () => (await rows.count()) === HISTORY_STEPS, 60_000);
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(cells, scene.snapshots.map((snapshot, k) => k === LEFT_AT_STEP
    ? [snapshot.block.toLocaleString('en-US'), 'not registered', '–', '–']
    : [snapshot.block.toLocaleString('en-US'), String(VALIDATOR_UID), '100.0%', '0%']));
  const chart = await content.locator('.validator-history canvas').boundingBox();
  assert.ok(chart && chart.width > 0 && chart.height > 0, 'the chart is drawn');
});

test('the correlation of chosen hotkeys\' stake is a matrix equal to Pearson over the stored snapshots', { timeout: 60_000 }, async () => {
  const content = webviewContent(workbench.page);
  const uids = [0, 1, 2];
  const hotkeys = uids.map((uid) => scene.snapshots[0].neurons.find((neuron) => neuron.uid === uid)!.hotkey);
  await content.locator('select#correlation-hotkeys').selectOption([]);
  await content.locator('input#correlation-extra').fill(hotkeys.join(', '));
  await content.locator('.correlation button', { hasText: 'Correlate' }).click();
  const rows = content.locator('table.correlation-matrix tbody tr');
  await eventually('the correlation matrix', async () => (await rows.count()) === uids.length);
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const stakes = uids.map((uid) => scene.snapshots.map((snapshot) => snapshot.neurons.find((neuron) => neuron.uid === uid)!.stake));
  assert.deepEqual(shown, stakes.map((a) => stakes.map((b) => onePassPearson(a, b).toFixed(3))));
  assert.equal(shown[0][1], '-1.000', 'UID 0 gains what UID 1 loses twice over');
  await content.locator('section.clusters').scrollIntoViewIfNeeded();
  await screenshot(workbench.page, 'weights-panel');
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
