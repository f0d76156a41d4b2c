import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { metagraphCsv } from '../../src/cli/metagraphCsv';
import { expandView, openActivity, screenshot, waitForStatusBarEntry } from '../support/browser';
import { runCli } from '../support/cliProcess';
import { OFFLINE_SWARMSCOPE_SETTINGS, type CodeServer } from '../support/codeServer';
import { eventually } from '../support/eventually';
import { recordedMetagraphSnapshot, startReplayNode, type ReplayNode } from '../support/replayNode';
import { waitForRow, widenSidebar } from '../support/treeRows';
import { webviewContent } from '../support/webviewPanels';
import { WorkbenchSession } from './workbenchSession';

/**
 * The Subnet panel in the packaged extension, fed by the replay node as an archive node (netuid 1 "Apex", 1,024 UIDs
 * recorded at block 6,852,690; past blocks answer with the head's state). Nothing is tracked, so the window's engine
 * takes no snapshot of its own: the CLI stores one 500 blocks before the head through the window's engine (it owns
 * the database), which makes the subnet out of date. Opened from the subnet row's icon; Update takes a snapshot of
 * the head; the block table sorts; Export CSV writes what `metagraph --csv` prints. Screenshot: subnet-panel.
 */

const NETUID = 1;
const BEHIND = 500;

let node: ReplayNode | undefined;
let server: CodeServer | undefined;
let recorded: MetagraphSnapshot;
const workbench = new WorkbenchSession('subnet-panel');

before(async () => {
  recorded = recordedMetagraphSnapshot();
  node = await startReplayNode({ seed: 'metagraph', archive: true });
  server = await workbench.open({
    ...OFFLINE_SWARMSCOPE_SETTINGS,
    'swarmscope.bittensor.endpoint': node.url,
    'swarmscope.bittensor.archiveEndpoint': node.url,
    'swarmscope.bittensor.trackedSubnets': [],
  });
}, { timeout: 300_000 });

after(async () => {
  await workbench.close();
  await node?.stop();
});

function databasePath(): string {
  return path.join(server!.userDataDir, 'User', 'globalStorage', 'swarmscope.swarmscope', 'swarmscope.db');
}

test('opened from the subnet row, the panel says the subnet is out of date; Update takes a snapshot and the overview moves', { timeout: 180_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /\b(healthy|running)\b/i.test(item.ariaLabel), 60_000);
  const past = node!.headNumber - BEHIND;
  const stored = await runCli(['snapshot', '--netuid', String(NETUID), '--block', String(past), '--db', databasePath()], 120_000);
  assert.equal(stored.code, 0, stored.stderr);

  await openActivity(page, 'Swarmscope');
  await widenSidebar(page, 560);
  const pane = await expandView(page, 'Subnets');
  const row = await waitForRow(pane, [new RegExp(`^${NETUID} ${recorded.name} `)], 60_000);
  await row.hover();
  await row.locator('.action-label[aria-label="Open Subnet Dashboard"]').click();

  const content = webviewContent(page);
  const stale = content.locator('.stale');
  await stale.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await stale.innerText(), `Out of date (${BEHIND} blocks)`);
  const freshness = content.locator('.freshness');
  assert.match(await freshness.innerText(), new RegExp(`newest snapshot at block ${past.toLocaleString('en-US')}\\b`));
  assert.match(await content.locator('.overview').innerText(), new RegExp(`Validators\\s+${recorded.validators}\\b`));

  await content.locator('#update').click();
  await content.locator('.freshness', { hasText: `newest snapshot at block ${node!.headNumber.toLocaleString('en-US')}` }).waitFor({ state: 'visible', timeout: 60_000 });
  assert.equal(await content.locator('.stale').count(), 0, 'no longer out of date');
  assert.match(await content.locator('.status').innerText(), /Snapshot at block|Read at/);
});

test('the block table shows every UID and sorts by a column, both ways', { timeout: 60_000 }, async () => {
  const content = webviewContent(workbench.page);
  await content.locator('#tab-block').click();
  const rows = content.locator('table.metagraph tbody tr');
  await eventually('the table rows', async () => (await rows.count()) === recorded.neurons.length);
  const stakeHeader = content.locator('table.metagraph th[data-column="stake"]');
  await stakeHeader.locator('button').click();
  assert.equal(await stakeHeader.getAttribute('aria-sort'), 'descending');
  const top = [...recorded.neurons].sort((a, b) => b.stake - a.stake || a.uid - b.uid)[0];
  assert.equal(await rows.first().getAttribute('data-uid'), String(top.uid));
  await stakeHeader.locator('button').click();
  assert.equal(await stakeHeader.getAttribute('aria-sort'), 'ascending');
  const bottom = [...recorded.neurons].sort((a, b) => a.stake - b.stake || a.uid - b.uid)[0];
  assert.equal(await rows.first().getAttribute('data-uid'), String(bottom.uid));
  await content.locator('#metagraph-filter').fill(recorded.neurons[7].hotkey);
  await eventually('the filtered table', async () => (await rows.count()) === 1);
  assert.equal(await rows.first().getAttribute('data-uid'), '7');
  await content.locator('#metagraph-filter').fill('');
  await eventually('the whole table again', async () => (await rows.count()) === recorded.neurons.length);
  await content.locator('.table-scroll').first().evaluate((box) => box.scrollTo(0, 0));
  await screenshot(workbench.page, 'subnet-panel');
});

test('Export CSV writes the stored snapshot, one row per UID, as metagraph --csv prints it', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const content = webviewContent(page);
  await content.locator('button', { hasText: 'Export CSV' }).click();
  const target = path.join(server!.workspace, 'subnet-1.csv');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The dialog fills in the suggested name once it has read the folder; typing before that would be overwritten.
  await eventually('the suggested file name', async () => (await input.inputValue()).includes(`subnet-${NETUID}-block-`));
  await input.fill(target);
  await input.press('Enter');
  const text = await eventually('the export file', () => (fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined));
  const stored = await runCli(['metagraph', '--netuid', String(NETUID), '--csv', '--db', databasePath()], 120_000);
  assert.equal(stored.code, 0, stored.stderr);
  assert.equal(text.trimEnd(), stored.stdout.trimEnd());
  assert.equal(text.trimEnd(), metagraphCsv(recorded.neurons));
  await content.locator('.status', { hasText: 'Saved 1024 UIDs' }).waitFor({ state: 'visible', timeout: 10_000 });
});

test('the traces, groups and animation read the two stored snapshots: a group lists its hotkeys, the animation steps', { timeout: 60_000 }, async () => {
  const content = webviewContent(workbench.page);
  const status = content.locator('.status');
  await content.locator('#tab-traces').click();
  await eventually('the traces chart', async () => /^stake of 10 hotkeys$/.test((await content.locator('canvas[aria-label^="stake of"]').getAttribute('aria-label')) ?? ''));

  await content.locator('#tab-groups').click();
  const groupRows = content.locator('table.groups tbody tr');
  await eventually('the groups table', async () => (await groupRows.count()) > 0);
  const coldkeys = new Map<string, number>();
  for (const neuron of recorded.neurons) coldkeys.set(neuron.coldkey, (coldkeys.get(neuron.coldkey) ?? 0) + 1);
  const largest = Math.max(...coldkeys.values());
  assert.equal(await groupRows.first().locator('td').nth(2).innerText(), String(largest), 'the largest coldkey group first');
  await groupRows.first().locator('button', { hasText: 'Hotkeys' }).click();
  await content.locator('.members table.member-list tbody tr').nth(largest - 1).waitFor({ state: 'attached', timeout: 10_000 });
  assert.equal(await content.locator('.members table.member-list tbody tr').count(), largest);

  await content.locator('#tab-animation').click();
  const position = content.locator('#animation-position');
  await position.filter({ hasText: 'frame 1 of 2' }).waitFor({ state: 'visible', timeout: 15_000 });
  await content.locator('button', { hasText: 'Step ▶' }).click();
  assert.match(await position.innerText(), new RegExp(`block ${node!.headNumber.toLocaleString('en-US')} · frame 2 of 2`));
  assert.doesNotMatch(await status.innerText(), /Could not|Refused/);
});
