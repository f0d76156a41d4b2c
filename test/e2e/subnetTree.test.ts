import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import {
  expandView, openActivity, screenshot, viewPane, waitForStatusBarEntry,
} from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS } from '../support/codeServer';
import { recordedMetagraphSnapshot, startReplayNode, type ReplayNode } from '../support/replayNode';
import { childTexts, expandRow, rowTexts, waitForRow, widenSidebar } from '../support/treeRows';
import { WorkbenchSession } from './workbenchSession';

/**
 * The Subnets tree in the packaged extension, fed by the replay node: a subtensor JSON-RPC node on loopback that
 * answers from responses recorded on finney (netuid 1 "Apex" at block 6,852,690, 1,024 UIDs). The extension's
 * settings point at it and track netuid 1 only; no relay. What the tree shows is checked against the recording
 * decoded on this side. One code-server and page serve the tests in order. Screenshot: subnet-tree.
 */

const NETUID = 1;
const SNAPSHOT_TIMEOUT_MS = 30_000;

let node: ReplayNode | undefined;
const workbench = new WorkbenchSession('subnet-tree');
let recorded: MetagraphSnapshot;

before(async () => {
  recorded = recordedMetagraphSnapshot();
  node = await startReplayNode({ seed: 'metagraph' });
  await workbench.open({
    ...OFFLINE_SWARMSCOPE_SETTINGS,
    'swarmscope.bittensor.endpoint': node.url,
    'swarmscope.bittensor.trackedSubnets': [NETUID],
    // Tooltips are read below; the default delay only slows the test down.
    'workbench.hover.delay': 200,
  });
}, { timeout: 300_000 });

after(async () => {
  await workbench.close();
  await node?.stop();
});

/**
 * Collapses the Nostr views and widens the sidebar, so that the Subnets tree has the height and width to render a
 * subnet's validators and a page of UIDs (the list only renders rows that fit), and screenshots show them whole.
 */
async function giveSubnetsRoom(page: Page): Promise<void> {
  for (const title of ['DVMs', 'Kinds', 'Watched']) {
    const header = viewPane(page, title).locator('.pane-header').first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  }
  await widenSidebar(page, 560);
}

/** The validators by stake, as the extension formats their UID label (no identity names in this recording). */
function validatorsByStake(): MetagraphSnapshot['neurons'] {
  return recorded.neurons.filter((neuron) => neuron.validatorPermit).sort((a, b) => b.stake - a.stake);
}

test('the Subnets tree shows netuid 1 by name once the engine has its snapshot', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /running/i.test(item.ariaLabel), 30_000);
  await openActivity(page, 'Swarmscope');
  await giveSubnetsRoom(page);
  const pane = await expandView(page, 'Subnets');
  assert.equal(recorded.name, 'Apex', 'the recording names netuid 1');
  const row = await waitForRow(pane, [new RegExp(`^${NETUID} ${recorded.name} `), new RegExp(`\\b${recorded.n}(/\\d+)? UIDs\\b`), /\breg /], SNAPSHOT_TIMEOUT_MS);
  assert.equal(await row.getAttribute('aria-level'), '1');
  assert.doesNotMatch((await rowTexts(pane)).join('\n'), /out of date/, 'the snapshot is at the node\'s head block');
});

test('netuid 1 expands to Validators (by stake, with stake and vtrust) and UIDs', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const pane = await expandView(page, 'Subnets');
  const validators = validatorsByStake();
  assert.ok(validators.length > 0);
  await expandRow(await waitForRow(pane, [new RegExp(`^${NETUID} ${recorded.name} `)]));
  await waitForRow(pane, [/^Validators\b/, new RegExp(`\\b${validators.length} · by stake\\b`)]);
  await waitForRow(pane, [/^UIDs\b/, new RegExp(`\\b${recorded.neurons.length} · by incentive\\b`)]);

  await expandRow(await waitForRow(pane, [/^Validators\b/]));
  const top = validators[0];
  await waitForRow(pane, [new RegExp(`^UID ${top.uid}\\b`), /α · vtrust \d\.\d{3}$/]);
  const rows = await childTexts(pane, /^Validators\b/, 3);
  // Every validator row, in stake order, reads "UID n <stake> α · vtrust x.xxx" with the recorded validator trust.
  assert.ok(rows.length > 0 && rows.length <= validators.length, `validator rows: ${JSON.stringify(rows)}`);
  rows.forEach((text, index) => {
    const validator = validators[index];
    assert.match(text, new RegExp(`^UID ${validator.uid}\\b.* α · vtrust ${validator.validatorTrust.toFixed(3)}$`), `row ${index}: ${text}`);
  });
});

test('a validator row\'s tooltip holds its full row: hotkey, coldkey, stake, trust', { timeout: 30_000 }, async () => {
  const page = workbench.page;
  const pane = await expandView(page, 'Subnets');
  const top = validatorsByStake()[0];
  const row = await waitForRow(pane, [new RegExp(`^UID ${top.uid}\\b`), /vtrust/]);
  await row.locator('.label-name').hover();
  const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: top.hotkey }).first();
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  // MarkdownString.appendText keeps spaces as no-break spaces.
  const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
  assert.ok(text.includes(`UID ${top.uid} on subnet ${NETUID} (block ${recorded.block})`), `tooltip: ${text}`);
  assert.ok(text.includes(top.coldkey), 'the coldkey');
  assert.match(text, /Validator permit\W+yes/);
  await page.mouse.move(900, 450);
  await hover.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
});

test('UIDs lists the subnet\'s neurons by incentive', { timeout: 30_000 }, async () => {
  const page = workbench.page;
  const pane = await expandView(page, 'Subnets');
  // Collapse Validators so that the UIDs' rows are in the rendered part of the list.
  const validatorsRow = await waitForRow(pane, [/^Validators\b/]);
  if ((await validatorsRow.getAttribute('aria-expanded')) === 'true') await validatorsRow.click();
  await expandRow(await waitForRow(pane, [/^UIDs\b/]));
  const best = [...recorded.neurons].sort((a, b) => b.incentive - a.incentive)[0];
  await waitForRow(pane, [new RegExp(`^UID ${best.uid}\\b`), new RegExp(`^UID ${best.uid}\\b.* inc ${best.incentive.toFixed(4)} · `)]);
  const rows = await childTexts(pane, /^UIDs\b/, 3);
  assert.ok(rows.length >= 5, `several UID rows are rendered: ${JSON.stringify(rows)}`);
  const incentives = rows.map((text) => Number(/ inc (\d+\.\d+) · /.exec(text)?.[1]));
  assert.ok(incentives.every(Number.isFinite), `every UID row shows its incentive: ${JSON.stringify(rows)}`);
  assert.deepEqual(incentives, [...incentives].sort((a, b) => b - a), 'by incentive, highest first');
  await validatorsRow.click();
  await page.mouse.move(900, 450);
  await screenshot(page, 'subnet-tree');
});

test('Watch Hotkey on a validator row pins it to the Watched view with its subnet, UID and incentive', { timeout: 45_000 }, async () => {
  const page = workbench.page;
  const pane = await expandView(page, 'Subnets');
  const validatorsRow = await waitForRow(pane, [/^Validators\b/]);
  await expandRow(validatorsRow);
  const top = validatorsByStake()[0];
  const row = await waitForRow(pane, [new RegExp(`^UID ${top.uid}\\b`), /vtrust/]);
  await row.hover();
  await row.locator('.action-label[aria-label="Watch Hotkey"]').click();

  // The Watched view reads where the hotkey is from the engine's stored snapshot, not from the Subnets tree.
  const watched = await expandView(page, 'Watched');
  const pinned = await waitForRow(watched, [new RegExp(`^SN${NETUID} UID ${top.uid}\\b`), new RegExp(`subnet ${NETUID} · UID ${top.uid} · inc ${top.incentive.toFixed(4)} · `)]);
  assert.ok(pinned);
  // And the Subnets tree marks the row as watched (its inline action turns into Stop Watching).
  await row.hover();
  await row.locator('.action-label[aria-label="Stop Watching Hotkey"]').waitFor({ state: 'visible', timeout: 10_000 });
  await screenshot(page, 'watched-hotkey');
});
