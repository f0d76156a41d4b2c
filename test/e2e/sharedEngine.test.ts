import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { generateSecretKey } from 'nostr-tools/pure';
import type { Page } from 'playwright-core';
import { openEngine } from '../../src/engine/ownedEngine';
import { expandView, openActivity, screenshot, waitForStatusBarEntry, type StatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS, type CodeServer } from '../support/codeServer';
import { buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { waitForRow, widenSidebar } from '../support/treeRows';
import { WorkbenchSession } from './workbenchSession';

/**
 * Issue 15: two VS Code windows of one profile (one code-server, so one user-data folder and one database; two pages
 * on two folders, so two extension hosts) share ONE engine. The first window owns it; the second is its client over
 * the database's socket. The loopback relay sees one collector, both windows' trees show what it collects, a watch
 * made in one window shows in the other, and closing the owner hands the engine to the other window, whose views
 * stay open and keep filling. Before issue 15 each window ran its own engine on the same file (two collectors on the
 * relay; a watch made in one window never reached the other; the last flush won).
 * Screenshot: shared-engine-handover.
 */

const DVM_NAME = 'Shared Engine Echo DVM';
/** The status bar's first line once this window's own engine runs (its second line, after ';', names the sources). */
const RUNS_HERE = /^Swarmscope engine: \w+ · runs in this window(;|$)/;
/** The feedback kind: every engine's relay collector asks for it, the DVM simulator does not. */
const FEEDBACK_KIND = 7000;

let relay: TestRelay | undefined;
let customer: RelayPublisher | undefined;
let dvm: DvmSimulator | undefined;
let server: CodeServer | undefined;
let first: Page | undefined;
let second: Page | undefined;
const workbench = new WorkbenchSession('shared-engine');
const customerKey = generateSecretKey();

before(async () => {
  relay = await startRelay();
  customer = await RelayPublisher.connect(relay.url);
  server = await workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.nostr.relays': [relay.url], 'swarmscope.bittensor.trackedSubnets': [] });
  first = workbench.page;
}, { timeout: 300_000 });

after(async () => {
  customer?.close();
  await dvm?.stop();
  await workbench.close();
  await relay?.stop();
});

function engineEntry(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<StatusBarEntry> {
  return waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && pattern.test(item.ariaLabel), timeoutMs);
}

const sidebarsShown = new Set<Page>();

/** The DVMs view of a window; its sidebar is opened (and widened) once, since the activity icon toggles it. */
async function showDvms(page: Page) {
  if (!sidebarsShown.has(page)) {
    await openActivity(page, 'Swarmscope');
    await widenSidebar(page, 560);
    sidebarsShown.add(page);
  }
  return expandView(page, 'DVMs');
}

/**
 * Clicks the DVM row's inline Watch DVM action until the row offers Stop Watching instead: the row is re-drawn (and
 * its hover lost) while the DVM's answers still arrive, so one click may land on a row that is already gone.
 */
async function watchDvm(page: Page): Promise<void> {
  const pane = await showDvms(page);
  for (let attempt = 1; ; attempt++) {
    const row = await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`)]);
    await row.hover();
    await row.locator('.action-label[aria-label="Watch DVM"]').click({ timeout: 5_000 }).catch(() => undefined);
    const watched = await row.locator('.action-label[aria-label="Stop Watching DVM"]').waitFor({ state: 'attached', timeout: 5_000 }).then(() => true, () => false);
    if (watched) return;
    if (attempt === 3) throw new Error('the DVM row never offered Stop Watching DVM after Watch DVM was clicked');
  }
}

function databasePath(): string {
  return path.join(server!.userDataDir, 'User', 'globalStorage', 'swarmscope.swarmscope', 'swarmscope.db');
}

test('the second window uses the first window\'s engine, and the relay sees one collector', { timeout: 120_000 }, async () => {
  await engineEntry(first!, RUNS_HERE);
  const folder = path.join(path.dirname(server!.workspace), 'second-window');
  fs.mkdirSync(folder, { recursive: true });
  second = await workbench.openWindow(folder);
  await engineEntry(second, /^Swarmscope engine: \w+ · runs in VS Code window workspace \(pid \d+\)(;|$)/);
  // Both hosts are up and the first collects; a second engine would have opened a second subscription by now.
  await eventually('the first window\'s collector', () => relay!.connectionsAsking(FEEDBACK_KIND) === 1);
  assert.equal(relay!.connectionsAsking(FEEDBACK_KIND), 1, 'one collector for two windows');
});

test('a DVM answering a job appears in both windows\' DVMs trees', { timeout: 60_000 }, async () => {
  dvm = await DvmSimulator.start({ relayUrl: relay!.url, name: DVM_NAME, amountMsats: 21_000 });
  await customer!.publish(buildJobRequest({ secretKey: customerKey, input: 'seen by both windows' }));
  for (const page of [first!, second!]) {
    await waitForRow(await showDvms(page), [new RegExp(`^${DVM_NAME}\\b`), /\b1 job · 100% success/]);
  }
});

test('a DVM watched in the second window shows in the first window\'s Watched view', { timeout: 60_000 }, async () => {
  await watchDvm(second!);
  await waitForRow(await expandView(first!, 'Watched'), [new RegExp(`^${DVM_NAME}\\b`)]);
});

test('closing the owner window hands the engine to the other, whose views stay open and keep filling', { timeout: 90_000 }, async () => {
  await first!.close({ runBeforeUnload: true });
  first = undefined;
  // "Within a few seconds": the bar is the status bar changing hands, generously bounded here.
  await engineEntry(second!, RUNS_HERE, 20_000);
  await eventually('the new owner\'s collector', () => relay!.connectionsAsking(FEEDBACK_KIND) === 1);
  await customer!.publish(buildJobRequest({ secretKey: customerKey, input: 'after the hand-over' }));
  const pane = await showDvms(second!);
  await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`), /\b2 jobs · 100% success/]);
  await waitForRow(await expandView(second!, 'Watched'), [new RegExp(`^${DVM_NAME}\\b`)]);
  await second!.mouse.move(900, 450);
  await screenshot(second!, 'shared-engine-handover');
});

test('after both windows close, the database holds both jobs and the watch', { timeout: 60_000 }, async () => {
  await second!.close({ runBeforeUnload: true });
  second = undefined;
  // The last owner lets go of the database (or its process ends): this test process can then open it itself.
  const opened = await eventually('the database to be free', async () => {
    const attempt = await openEngine({ dbPath: databasePath(), settings: {}, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
    return attempt.role === 'owner' ? attempt.engine : undefined;
  }, 20_000);
  try {
    const dvms = await opened.engine.call('nostr.dvms', {});
    const row = dvms.find((summary) => summary.name === DVM_NAME);
    assert.equal(row?.jobs, 2, `both jobs are stored: ${JSON.stringify(dvms.map((d) => [d.name, d.jobs]))}`);
    const pins = await opened.engine.call('engine.pins', {});
    assert.deepEqual(pins.map((pin) => pin.key), [dvm!.pubkey]);
  } finally {
    await opened.close();
  }
});
