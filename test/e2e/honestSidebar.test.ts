import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import {
  expandView, openActivity, runPaletteCommand, screenshot, waitForNotification, waitForStatusBarEntry, welcomeText, type StatusBarEntry,
} from '../support/browser';
import { freePort, OFFLINE_SWARMSCOPE_SETTINGS, type CodeServer } from '../support/codeServer';
import { buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { eventually } from '../support/eventually';
import { answerFileDialog } from '../support/simpleFileDialog';
import { expandRow, rowTexts, waitForRow, widenSidebar } from '../support/treeRows';
import { editUserSettings } from '../support/userSettings';
import { WorkbenchSession } from './workbenchSession';

/**
 * Issue 9, items 1, 2, 3, 4, 8 (Nostr) and 10, in the packaged extension, as one user's afternoon:
 * - the database file in VS Code's global storage is a text file: the engine refuses it, and the status bar, Health
 *   and the DVMs view say so with the path (item 2); the file is removed and the engine restarted;
 * - the only relay is a closed loopback port: nothing says "healthy"; the status bar, Health and the empty DVMs view
 *   say no relay is reachable, with the relay's error (item 2);
 * - the relay setting is changed to a live loopback relay: the empty views say connected, nothing seen in the
 *   window, and that older events are not fetched (items 2, 10); Import Events… brings a file in with its result;
 * - a simulated DVM answers one job and ignores one addressed to it: the DVM row, Kinds and job rows agree and tell
 *   jobs apart (items 3, 4); a job row's "just now" ages with no event (item 1);
 * - watched, it goes silent: the alert comes, the Watched row reads silent, also after collapsing and reopening the
 *   view (item 1); Restart Engine does not announce the silence again (item 8).
 * Maintenance (liveness, alerts) runs every 2 s here (SWARMSCOPE_TEST_MAINTENANCE_MS, honoured with debug methods).
 */

const DVM_NAME = 'Honest Echo DVM';
/** The simulator dates its answers 20 min back, so that a job addressed to it 9.5 min ago is newer than its last answer. */
const ANSWERS_BACK_SEC = 1_200;
/** Default DESIGN.md threshold (10 min): the waiting job is published this much younger than that. */
const SILENT_AFTER_SEC = 600;

let relay: TestRelay | undefined;
let dvm: DvmSimulator | undefined;
let server: CodeServer | undefined;
let deadRelay = '';
/** Relays added during the session, each holding back-dated events (see addRelayHolding). */
const addedRelays: TestRelay[] = [];
const workbench = new WorkbenchSession('honest-sidebar');
const customerKey = generateSecretKey();

function databasePath(codeServer: CodeServer): string {
  return path.join(codeServer.userDataDir, 'User', 'globalStorage', 'swarmscope.swarmscope', 'swarmscope.db');
}

before(async () => {
  relay = await startRelay();
  deadRelay = `ws://127.0.0.1:${await freePort()}`; // nothing listens there
  server = await workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.nostr.relays': [deadRelay], 'swarmscope.bittensor.trackedSubnets': [] }, {
    env: { SWARMSCOPE_TEST_MAINTENANCE_MS: '2000' },
    beforeWorkbench: (started) => {
      fs.mkdirSync(path.dirname(databasePath(started)), { recursive: true });
      fs.writeFileSync(databasePath(started), 'quarterly figures, not a database');
    },
  });
}, { timeout: 300_000 });

after(async () => {
  await dvm?.stop();
  await workbench.close();
  await relay?.stop();
  for (const added of addedRelays) await added.stop();
});

/** Everything the extension logged to its output channel, as VS Code writes it under the user data folder. */
function extensionLog(codeServer: CodeServer): string {
  const logs = path.join(codeServer.userDataDir, 'logs');
  return (fs.readdirSync(logs, { recursive: true }) as string[])
    .filter((file) => path.basename(file) === 'Swarmscope.log')
    .map((file) => fs.readFileSync(path.join(logs, file), 'utf8')).join('\n');
}

/**
 * Back-dated events (a DVM's answers 20 min ago, a job waiting 10 min) reach the engine only through a backfill: a
 * relay's live subscription carries events from the session's start on (NIP-01 `since`, which relays apply to live
 * events too), and a relay the engine already follows is backfilled from its cursor on. So they are put on a relay
 * new to the engine, which the user then adds to the relay setting.
 */
async function addRelayHolding(publish: (url: string) => Promise<void>): Promise<void> {
  const added = await startRelay();
  addedRelays.push(added);
  await publish(added.url);
  await editUserSettings(workbench.page, server!, { 'swarmscope.nostr.relays': [relay!.url, ...addedRelays.map((entry) => entry.url)] });
}

const ours = (entry: StatusBarEntry) => (entry.id ?? '').startsWith('swarmscope.swarmscope.');

test('a database file that is not Swarmscope\'s: status bar, Health and the DVMs view say the engine did not start, naming the file', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  const file = databasePath(server!);
  const entry = await waitForStatusBarEntry(page, (item) => ours(item) && /not started/.test(item.ariaLabel), 45_000);
  assert.ok(entry.ariaLabel.includes(file), entry.ariaLabel);
  assert.match(entry.ariaLabel, /is not a SQLite database/);
  assert.match(entry.text, /Swarmscope: not started/);
  await openActivity(page, 'Swarmscope');
  await widenSidebar(page, 620);
  await waitForRow(await expandView(page, 'DVMs'), [/^The engine did not start\b/, /is not a SQLite database/]);
  const health = await expandView(page, 'Health');
  await waitForRow(health, [/^Engine not started — /, /is not a SQLite database/]);
  await waitForRow(health, [/^Database\b/, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))]);
  await screenshot(page, 'honest-refused-database');
  assert.equal(fs.readFileSync(file, 'utf8'), 'quarterly figures, not a database', 'the file was left as it was');

  fs.rmSync(file);
  await runPaletteCommand(page, 'Swarmscope: Restart Engine');
  await waitForStatusBarEntry(page, (item) => ours(item) && /^Swarmscope engine: running/.test(item.ariaLabel), 45_000);
});

test('with no relay reachable nothing says healthy: status bar, Health and the empty DVMs view name the relay and its error', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  const entry = await waitForStatusBarEntry(page, (item) => ours(item) && /No source connected \(0 of 2\)/.test(item.ariaLabel), 45_000);
  assert.doesNotMatch(entry.ariaLabel, /healthy/);
  assert.match(entry.text, /nothing connected/);
  const dvms = await expandView(page, 'DVMs');
  const row = await waitForRow(dvms, [/^No relay reachable \(0 of 1\)/, new RegExp(deadRelay.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))], 45_000);
  assert.match((await rowTexts(dvms)).join('\n'), /ECONNREFUSED|refused|closed|error/i, 'the row names the error');
  await waitForRow(dvms, [/^Open relay settings$/]);
  await waitForRow(await expandView(page, 'Health'), [/^Sources 0 of 2 connected — no relay reachable$/]);
  await row.click();
  await screenshot(page, 'honest-no-relay');
});

test('connected to a live relay with nothing in the window: the welcome texts say so, and that older events are not fetched', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await editUserSettings(page, server!, { 'swarmscope.nostr.relays': [relay!.url] });
  // The "No relay reachable" rows give way to the welcome text once the engine reports the relay connected.
  const text = await eventually('the DVMs welcome text to say connected', async () => {
    const shown = await welcomeText(page, 'DVMs');
    return /No DVM has been seen yet in the window/.test(shown) && shown;
  }, 45_000);
  assert.match(text, /connected and listening/);
  assert.match(text, /older events are not fetched/);
  assert.match(await welcomeText(page, 'Kinds'), /No job request has been seen yet in the window/);
});

test('Import Events… reads a file through the engine and says what was accepted, already there and rejected', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  const importedDvm = generateSecretKey();
  const threeDaysAgo = Math.floor(Date.now() / 1000) - 3 * 86_400;
  const request = finalizeEvent({ kind: 5100, created_at: threeDaysAgo, tags: [['i', 'a lighthouse at dusk', 'text'], ['p', getPublicKey(importedDvm)]], content: '' }, customerKey);
  const result = finalizeEvent({ kind: 6100, created_at: threeDaysAgo + 20, tags: [['e', request.id], ['p', getPublicKey(customerKey)]], content: 'https://example.invalid/lighthouse.png' }, importedDvm);
  const file = path.join(server!.workspace, 'old-events.jsonl');
  fs.writeFileSync(file, [JSON.stringify(request), JSON.stringify(result), 'not json at all'].join('\n'));

  // The command's file dialog is a quick input of its own: the palette's row is clicked, not waited out.
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Swarmscope: Import Events…');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Import Events…' }).first().click();
  await page.locator('.quick-input-widget', { hasText: 'Import Nostr events' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await answerFileDialog(page, file, { row: path.basename(file) });
  const message = await waitForNotification(page, 'Swarmscope imported old-events.jsonl', 45_000);
  assert.match(message, /3 events: 2 accepted, 0 duplicates, 1 rejected \(malformed 1\)/);
  await waitForRow(await expandView(page, 'Kinds'), [/^5100 image generation\b/, /\b1 request · 1 DVM\b/]);
});

test('a DVM that answered one job and has one waiting: the DVM row, Kinds and the job rows agree and tell the jobs apart', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  const now = Math.floor(Date.now() / 1000);
  await addRelayHolding(async (url) => {
    const publisher = await RelayPublisher.connect(url);
    dvm = await DvmSimulator.start({ relayUrl: url, name: DVM_NAME, clock: () => now - ANSWERS_BACK_SEC });
    const answered = buildJobRequest({ secretKey: customerKey, dvmPubkey: dvm.pubkey, createdAt: now - ANSWERS_BACK_SEC - 10, input: 'alpha: summarise the minutes' });
    await publisher.publish(answered);
    await dvm.answerJob(answered);
    dvm.answering = false;
    await publisher.publish(buildJobRequest({ secretKey: customerKey, dvmPubkey: dvm.pubkey, createdAt: now - 5, input: 'beta: translate the memo' }));
    publisher.close();
  });

  const dvms = await expandView(page, 'DVMs');
  const row = await waitForRow(dvms, [new RegExp(`^${DVM_NAME}\\b`), /\b1 job · 1 waiting · 100% success\b/], 45_000);
  await waitForRow(await expandView(page, 'Kinds'), [/^5050 text generation\b/, /\b2 requests · 1 DVM\b/]);
  await expandRow(row);
  await expandRow(await waitForRow(dvms, [/^Recent jobs$/]));
  // Shortened as keys are everywhere in the views (format.ts): its first 10 characters, …, its last 4.
  const customerNpub = /npub1\w{5}…\w{4}/;
  await waitForRow(dvms, [/^beta: translate the memo waiting · /, customerNpub, /just now$/]);
  await waitForRow(dvms, [/^alpha: summarise the minutes result-delivered · /, customerNpub, /\b20 min ago$/]);
  await screenshot(page, 'honest-job-rows');

  // A click opens the job's trace (its JSON stays a context action).
  await (await waitForRow(dvms, [/^beta: translate the memo\b/])).click();
  await page.locator('.tabs-container .tab', { hasText: /Trace/i }).first().waitFor({ state: 'visible', timeout: 20_000 });
  await runPaletteCommand(page, 'View: Close All Editors');
});

test('a job row\'s relative time ages with nothing else happening', { timeout: 150_000 }, async () => {
  const dvms = await expandView(workbench.page, 'DVMs');
  // Nothing about this DVM changes now: only the 30 s redraw of rows showing a relative time can move it on.
  await waitForRow(dvms, [/^beta: translate the memo waiting · /, /\b[12] min ago$/], 120_000);
});

test('watched, the DVM goes silent: the alert comes once, the Watched row reads silent (also reopened), and Restart Engine does not repeat it', { timeout: 180_000 }, async () => {
  const page = workbench.page;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Swarmscope: Watch DVM');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Watch DVM' }).first().click();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: DVM_NAME }).first().click();
  await input.waitFor({ state: 'hidden' });
  const watched = await expandView(page, 'Watched');
  await waitForRow(watched, [new RegExp(`^${DVM_NAME}\\b`), /\bup · 1 job · 1 waiting\b/], 30_000);

  // A job addressed to it, unanswered, reaching the 10 min silence threshold in 20 s.
  const silentAt = Math.floor(Date.now() / 1000) + 20;
  await addRelayHolding(async (url) => {
    const publisher = await RelayPublisher.connect(url);
    await publisher.publish(buildJobRequest({ secretKey: customerKey, dvmPubkey: dvm!.pubkey, createdAt: silentAt - SILENT_AFTER_SEC, input: 'gamma: left unanswered' }));
    publisher.close();
  });
  const message = await waitForNotification(page, `Swarmscope: ${DVM_NAME} has not answered`, 90_000);
  assert.match(message, /has not answered a job addressed to it for 10 min/);
  await waitForRow(watched, [new RegExp(`^${DVM_NAME}\\b`), /\bsilent · 1 job · 2 waiting\b/], 15_000);
  await waitForRow(await expandView(page, 'DVMs'), [new RegExp(`^${DVM_NAME}\\b`), /\b1 job · 2 waiting\b/], 15_000);

  // Collapsed and opened again, it still reads silent.
  await watched.locator('.pane-header').first().click();
  await watched.locator('.pane-header').first().click();
  await waitForRow(watched, [new RegExp(`^${DVM_NAME}\\b`), /\bsilent\b/], 15_000);
  await screenshot(page, 'honest-watched-silent');

  // The toasts so far are dismissed: after the restart, any toast about the silence would be a second announcement.
  await runPaletteCommand(page, 'Notifications: Clear All Notifications');
  await runPaletteCommand(page, 'Swarmscope: Restart Engine');
  // The restarted engine's first check logs this instead of announcing (the same check would raise the alert). Read
  // from the log file VS Code writes: the Output view draws only the lines in sight, and later lines push it out.
  await eventually('the restarted engine to log that the silence was announced before', () => extensionLog(server!).includes('is still silent; its silence was announced at'), 60_000);
  await page.waitForTimeout(2_000); // a toast raised by that same check would be drawn by now
  const toasts = await page.locator('.notification-toast .notification-list-item-message', { hasText: 'has not answered' }).count();
  assert.equal(toasts, 0, 'the silence was announced again after Restart Engine');
});
