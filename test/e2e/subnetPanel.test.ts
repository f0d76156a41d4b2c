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
import { answerFileDialog } from '../support/simpleFileDialog';
import { hostileMetagraphAnswer } from '../support/hostileIdentities';
import { recordedMetagraphSnapshot, startReplayNode, type ReplayNode } from '../support/replayNode';
import { waitForRow, widenSidebar } from '../support/treeRows';
import { webviewContent } from '../support/webviewPanels';
import { assertShownAsText, BIDI_OVERRIDE, COMMAND_LINK, CONTROL_CHARACTERS, hostileText, HTML_PAYLOADS, ICON_SYNTAX } from '../support/xssPayloads';
import { startHostileErrorProxy, type HostileErrorProxy } from '../support/xssRpcProxy';
import { dateTimeText, secondsInputValue } from '../../webview/subnet/axisChoice';
import { WorkbenchSession } from './workbenchSession';

/**
 * The Subnet panel in the packaged extension, fed by the replay node as an archive node (netuid 1 "Apex", 1,024 UIDs
 * recorded at block 6,852,690; past blocks answer with the head's state). Nothing is tracked, so the window's engine
 * takes no snapshot of its own: the CLI stores one 500 blocks before the head through the window's engine (it owns
 * the database), which makes the subnet out of date. Opened from the subnet row's icon; Update takes a snapshot of
 * the head; the block table sorts; Export CSV writes what `metagraph --csv` prints; colour by and the time axis
 * change what the charts show; Backfill… stores past blocks with progress, and Cancel stops it. The node is reached
 * through a proxy that, for the last test, gives every name the chain chooses (subnet and identity names) a hostile
 * value. Screenshot: subnet-panel.
 */

const NETUID = 1;
const BEHIND = 500;

let node: ReplayNode | undefined;
let proxy: HostileErrorProxy | undefined;
let server: CodeServer | undefined;
let recorded: MetagraphSnapshot;
const workbench = new WorkbenchSession('subnet-panel');

before(async () => {
  recorded = recordedMetagraphSnapshot();
  node = await startReplayNode({ seed: 'metagraph', archive: true });
  proxy = await startHostileErrorProxy({ target: node.url });
  server = await workbench.open({
    ...OFFLINE_SWARMSCOPE_SETTINGS,
    'swarmscope.bittensor.endpoint': proxy.url,
    'swarmscope.bittensor.archiveEndpoint': proxy.url,
    'swarmscope.bittensor.trackedSubnets': [],
  });
}, { timeout: 300_000 });

after(async () => {
  await workbench.close();
  await proxy?.stop();
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
  // The row after the CLI's snapshot redrew it: a click during that redraw reaches the command without its row.
  const row = await waitForRow(pane, [new RegExp(`^${NETUID} ${recorded.name} .*out of date`)], 60_000);
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
  await answerFileDialog(page, target, { value: `subnet-${NETUID}-block-` });
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
  await eventually('the traces chart', async () => /^stake of 10 hotkeys, coloured by coldkey \(\d+ colours\), blocks /.test((await content.locator('canvas[aria-label^="stake of"]').getAttribute('aria-label')) ?? ''));

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
  await screenshot(workbench.page, 'subnet-animation');
  assert.doesNotMatch(await status.innerText(), /Could not|Refused/);
});

/** The traces chart's label: "<field> of N hotkeys, coloured by <by> (K colours), <span>". */
async function tracesLabel(pattern: RegExp): Promise<string> {
  const canvas = webviewContent(workbench.page).locator('section:not([hidden]) canvas[aria-label^="stake of"]');
  return eventually(`a traces chart labelled ${pattern}`, async () => {
    const label = (await canvas.getAttribute('aria-label')) ?? '';
    return pattern.test(label) ? label : undefined;
  });
}

test('Colour by coldkey, hotkey or axon IP regroups the trace lines and the animation dots', { timeout: 90_000 }, async () => {
  const content = webviewContent(workbench.page);
  // The top 20 by stake of the recorded snapshot (both stored snapshots hold its values), counted apart from the panel.
  const top = [...recorded.neurons].sort((a, b) => b.stake - a.stake || a.uid - b.uid).slice(0, 20);
  const coldkeys = new Set(top.map((neuron) => neuron.coldkey)).size;
  const ips = new Set(top.map((neuron) => neuron.axon?.ip ?? 'none')).size;
  assert.equal(new Set([coldkeys, ips, 20]).size, 3, 'the recorded top 20 groups differently by coldkey, IP and hotkey, so each choice can be told apart');

  await content.locator('#tab-traces').click();
  await content.locator('#top-n').fill('20');
  await content.locator('#range-apply').click();
  await tracesLabel(new RegExp(`^stake of 20 hotkeys, coloured by coldkey \\(${coldkeys} colours\\)`));
  await content.locator('#colour-by').selectOption('hotkey');
  await tracesLabel(/^stake of 20 hotkeys, coloured by hotkey \(20 colours\)/);
  await content.locator('#colour-by').selectOption('ip');
  await tracesLabel(new RegExp(`^stake of 20 hotkeys, coloured by ip \\(${ips} colours\\)`));
  await content.locator('#top-n').fill('10');
  await content.locator('#range-apply').click();

  await content.locator('#tab-animation').click();
  const miners = recorded.neurons.filter((neuron) => !neuron.validatorPermit);
  const minerIps = new Set(miners.map((neuron) => neuron.axon?.ip ?? 'none')).size;
  const frame = content.locator('section:not([hidden]) canvas[aria-label^="Animation frame"]');
  await eventually('dots coloured by IP', async () => (await frame.getAttribute('aria-label')) === `Animation frame: ${miners.length} UIDs coloured by ip (${minerIps} colours)`);
  await content.locator('#colour-by').selectOption('coldkey');
  const minerColdkeys = new Set(miners.map((neuron) => neuron.coldkey)).size;
  await eventually('dots coloured by coldkey', async () => (await frame.getAttribute('aria-label')) === `Animation frame: ${miners.length} UIDs coloured by coldkey (${minerColdkeys} colours)`);
});

test('X axis by time spans the stored snapshots\' dates; a range by time reads only the snapshots inside it', { timeout: 90_000 }, async () => {
  const content = webviewContent(workbench.page);
  // The stored block times, as the CLI reads them from the window's engine.
  const history = await runCli(['history', '--netuid', String(NETUID), '--top', '1', '--field', 'stake', '--json', '--db', databasePath()], 120_000);
  assert.equal(history.code, 0, history.stderr);
  const times = (JSON.parse(history.stdout) as { series: { points: { block: number; time: number }[] }[] }).series[0].points.map((point) => point.time);
  assert.equal(times.length, 2);
  const [older, newer] = [Math.min(...times), Math.max(...times)];

  await content.locator('#tab-traces').click();
  await content.locator('#x-axis').selectOption('time');
  await tracesLabel(new RegExp(`, ${dateTimeText(older * 1000)} to ${dateTimeText(newer * 1000)}$`));

  // From a minute after the older snapshot: only the newer one is read.
  await content.locator('#range-by').selectOption('time');
  await content.locator('#range-from-time').fill(secondsInputValue(older + 60));
  await content.locator('#range-apply').click();
  await tracesLabel(new RegExp(`, ${dateTimeText(newer * 1000)} to ${dateTimeText(newer * 1000)}$`));
  await content.locator('#tab-animation').click();
  await content.locator('#animation-position').filter({ hasText: 'frame 1 of 1' }).waitFor({ state: 'visible', timeout: 15_000 });

  await content.locator('#range-by').selectOption('block');
  await content.locator('#range-apply').click();
  await content.locator('#animation-position').filter({ hasText: 'frame 1 of 2' }).waitFor({ state: 'visible', timeout: 15_000 });
  await content.locator('#x-axis').selectOption('block');
});

/** The overview's count of stored snapshots. */
async function storedSnapshots(): Promise<number> {
  const text = await webviewContent(workbench.page).locator('.overview').innerText();
  return Number(/Snapshots\s+(\d+)/.exec(text)?.[1] ?? NaN);
}

test('Backfill… stores past blocks from the archive endpoint, showing progress; the overview counts them', { timeout: 120_000 }, async () => {
  const content = webviewContent(workbench.page);
  const head = node!.headNumber;
  const before = await storedSnapshots();
  await content.locator('#backfill-toggle').click();
  await content.locator('#backfill-from').fill(String(head - 1_400));
  await content.locator('#backfill-to').fill(String(head - 1_100));
  await content.locator('#backfill-step').fill('100');
  await content.locator('#backfill-start').click();
  await content.locator('#backfill-text', { hasText: 'Backfilled 4 snapshots of subnet 1' }).waitFor({ state: 'visible', timeout: 60_000 });
  await eventually('the overview counting the backfilled snapshots', async () => (await storedSnapshots()) === before + 4);
  const frames = await runCli(['history', '--netuid', String(NETUID), '--top', '1', '--field', 'stake', '--json', '--db', databasePath()], 120_000);
  const blocks = (JSON.parse(frames.stdout) as { series: { points: { block: number }[] }[] }).series[0].points.map((point) => point.block);
  assert.deepEqual(blocks, [head - 1_400, head - 1_300, head - 1_200, head - 1_100, head - BEHIND, head]);
});

test('Cancel stops a long backfill: progress shows while it runs, and only the snapshots it counted are stored', { timeout: 120_000 }, async () => {
  const content = webviewContent(workbench.page);
  const head = node!.headNumber;
  const before = await storedSnapshots();
  await content.locator('#backfill-from').fill(String(head - 5_000));
  await content.locator('#backfill-to').fill(String(head - 1_501));
  await content.locator('#backfill-step').fill('1');
  await content.locator('#backfill-start').click();
  const text = content.locator('#backfill-text');
  await eventually('progress past the first snapshots', async () => Number(/^(\d+) of 3,500 snapshots \(block /.exec(await text.innerText())?.[1] ?? 0) >= 2);
  assert.equal(await content.locator('#backfill-progress').isVisible(), true);
  await content.locator('#backfill-cancel').click();
  const ended = await eventually('the cancelled backfill', async () => /cancelled after (\d+) of 3500 snapshots/.exec(await text.innerText()) ?? undefined, 60_000);
  const stored = Number(ended[1]);
  assert.ok(stored >= 2 && stored < 3_500, ended[0]);
  assert.equal(await content.locator('#backfill-progress').isVisible(), false);
  await eventually('the overview counting what was stored', async () => (await storedSnapshots()) === before + stored);
});

test('names the chain chooses (subnet and identity names) are shown as text in the panel and the Subnets tree', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  const content = webviewContent(page);
  const subnetName = hostileText('SN');
  const identityName = ['uid', COMMAND_LINK, ICON_SYNTAX, CONTROL_CHARACTERS, BIDI_OVERRIDE, ...Object.values(HTML_PAYLOADS)].join(' ');
  proxy!.setResultRewrite(hostileMetagraphAnswer({ subnet: subnetName, identity: () => identityName }));
  await content.locator('#update').click();
  await content.locator('.subnet-name', { hasText: HTML_PAYLOADS.script }).waitFor({ state: 'visible', timeout: 60_000 });
  assert.ok(proxy!.rewritten > 0, 'the proxy rewrote the metagraph answer');

  await content.locator('#tab-block').click();
  await content.locator('#block-input').fill('');
  await content.locator('button', { hasText: 'Show' }).click();
  await content.locator('table.metagraph tbody td', { hasText: HTML_PAYLOADS.imgOnerror }).first().waitFor({ state: 'attached', timeout: 30_000 });
  await content.locator('#tab-groups').click();
  await content.locator('table.groups td.identity', { hasText: HTML_PAYLOADS.svgOnload }).first().waitFor({ state: 'attached', timeout: 30_000 });
  await assertShownAsText(content, [subnetName, identityName], 'the Subnet panel');

  const pane = await expandView(page, 'Subnets');
  await waitForRow(pane, [/<script/], 60_000);
  await assertShownAsText(page, [HTML_PAYLOADS.script], 'the workbench with the Subnets tree');
});
