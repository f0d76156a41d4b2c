import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateSecretKey } from 'nostr-tools/pure';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { expandView, openActivity, runPaletteCommand, screenshot, waitForNotification, waitForStatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS } from '../support/codeServer';
import { buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { startReplayNode, type ReplayNode } from '../support/replayNode';
import { expandRow, waitForRow, widenSidebar } from '../support/treeRows';
import {
  assertShownAsText, BIDI_OVERRIDE, COMMAND_LINK, CONTROL_CHARACTERS, HTML_PAYLOADS, hostileText, ICON_SYNTAX,
} from '../support/xssPayloads';
import { startHostileErrorProxy, type HostileErrorProxy } from '../support/xssRpcProxy';
import { WorkbenchSession } from './workbenchSession';

/**
 * Issue 8, defect 2 and the XSS bar, in the packaged extension: a DVM on a loopback relay calls itself
 * `[click](command:workbench.action.quit) $(zap)` followed by escape sequences, a bidi override and HTML payloads, and
 * a subtensor node (the replay node behind a proxy) answers with a hostile error message. Everything reaches
 * VS Code through the real paths: the relay collector, the engine, the trees, a quick pick, a notification, the
 * DVM dashboard and the Weights panel.
 *
 * The DVM answered a job 30 min ago and has left one addressed to it unanswered for 15 min, all published before
 * VS Code starts (its clock is set back; the collector's first backfill fetches them), so it is silent from the
 * start: watching it makes the engine's next maintenance run (every minute) raise the silence notification.
 * Screenshots: hostile-dvm-tree, hostile-notification, hostile-dashboard, hostile-weights.
 */

const HOSTILE_NAME = hostileText('Evil DVM');
/** Every payload without the long text: one event carries at most 64 KiB into the engine, and the name takes that. */
const HOSTILE_ABOUT = HOSTILE_NAME.slice(0, 1_000);
const HOSTILE_NODE_ERROR = hostileText('node says');
const JOB_KIND = 5555; // not in the kind registry: DVMs name it, so it takes the hostile DVM's name
/** "5555 " before a kind's name in a label. */
const KIND_PREFIX = `${JOB_KIND} `.length;
const NETUID = 99; // not recorded in the replay node's seed: reading its weights ends in the node's error
/** The product's maintenance runs every 60 s; the alert comes at the first run after the DVM is watched. */
const ALERT_TIMEOUT_MS = 150_000;

/** What VS Code must never be handed: escape sequences, controls, bidi and invisible characters. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
/** A DVM's name as the trees show it: found by the words that survive sanitising. */
const NAMED = /Evil DVM.*workbench\.action\.quit/;

let relay: TestRelay | undefined;
let customer: RelayPublisher | undefined;
let dvm: DvmSimulator | undefined;
let node: ReplayNode | undefined;
let proxy: HostileErrorProxy | undefined;
const workbench = new WorkbenchSession('hostile-input');

before(async () => {
  relay = await startRelay();
  customer = await RelayPublisher.connect(relay.url);
  const customerKey = generateSecretKey();
  const now = Math.floor(Date.now() / 1000);
  dvm = await DvmSimulator.start({
    relayUrl: relay.url, name: HOSTILE_NAME, jobKind: JOB_KIND, clock: () => now - 1_790,
    profile: { about: HOSTILE_ABOUT, picture: HTML_PAYLOADS.javascriptUrl, website: HTML_PAYLOADS.javascriptUrl },
    metadata: { name: HOSTILE_ABOUT, about: HOSTILE_ABOUT, picture: HTML_PAYLOADS.javascriptUrl },
  });
  const answered = buildJobRequest({ secretKey: customerKey, kind: JOB_KIND, dvmPubkey: dvm.pubkey, createdAt: now - 1_800, input: HOSTILE_ABOUT });
  await customer.publish(answered);
  await dvm.answerJob(answered);
  dvm.answering = false;
  await customer.publish(buildJobRequest({ secretKey: customerKey, kind: JOB_KIND, dvmPubkey: dvm.pubkey, createdAt: now - 900 }));

  node = await startReplayNode({ seed: 'weights' });
  proxy = await startHostileErrorProxy({ target: node.url, methods: ['state_getKeysPaged', 'state_getKeysPagedAt'], message: HOSTILE_NODE_ERROR });
  await workbench.open({
    ...OFFLINE_SWARMSCOPE_SETTINGS,
    'swarmscope.nostr.relays': [relay.url],
    'swarmscope.bittensor.endpoint': proxy.url,
    'swarmscope.bittensor.trackedSubnets': [],
    // One log line, one rendered line in the Output view (it wraps by default): read below.
    '[Log]': { 'editor.wordWrap': 'off' },
  });
}, { timeout: 300_000 });

after(async () => {
  customer?.close();
  await dvm?.stop();
  await workbench.close();
  await proxy?.stop();
  await node?.stop();
  await relay?.stop();
});

/** Asserts that `text` is the hostile name made harmless: readable, one line, bounded, no link or icon syntax. */
function assertNeutralised(text: string, where: string, maxLength = 200): void {
  assert.match(text, /Evil DVM/, `${where} shows the name: ${JSON.stringify(text)}`);
  assert.match(text, /workbench\.action\.quit/, `${where} shows the link's text as text: ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, CONTROL, `${where} holds control, bidi or invisible characters: ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /\]\(|command:\S|\$\(/, `${where} keeps link or icon syntax: ${JSON.stringify(text)}`);
  assert.ok(Array.from(text).length <= maxLength, `${where} is bounded to ${maxLength}; it is ${text.length} characters long`);
}

interface RowParts {
  readonly label: string;
  readonly description: string;
}

/**
 * Waits for a row of `pane` whose label and description (read apart: the row's text runs them together) satisfy
 * `wanted`, reading every row in one pass: a live refresh between finding a row and reading it cannot swap rows.
 */
async function waitForRowParts(pane: Locator, wanted: (row: RowParts) => boolean, timeoutMs = 15_000): Promise<RowParts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await pane.locator('.pane-body .monaco-list-row').evaluateAll((elements) => elements.map((element) => ({
      label: element.querySelector('.label-name')?.textContent ?? '',
      description: element.querySelector('.label-description')?.textContent ?? '',
    })));
    const found = rows.find(wanted);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no such row within ${timeoutMs} ms; rows: ${JSON.stringify(rows.map((row) => `${row.label} | ${row.description}`.slice(0, 160)))}`);
    await pane.page().waitForTimeout(150);
  }
}

/** The page inside the active webview panel: VS Code nests it in two iframes. */
function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

test('the trees show the hostile DVM name as plain text: DVM row, its kind and job rows, the Kinds tree', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await openActivity(page, 'Swarmscope');
  await widenSidebar(page, 560);
  const dvms = await expandView(page, 'DVMs');
  const dvmRow = await waitForRow(dvms, [NAMED], 45_000);
  assertNeutralised((await waitForRowParts(dvms, (row) => NAMED.test(row.label))).label, 'the DVM row label');

  await expandRow(dvmRow);
  await expandRow(await waitForRow(dvms, [/^Kinds$/]));
  // The DVM's kind, not in the registry, is named by the DVM's announcement.
  const kind = await waitForRowParts(dvms, (row) => row.label === String(JOB_KIND) && /Evil DVM/.test(row.description));
  assertNeutralised(kind.description, 'the kind row description');
  await expandRow(await waitForRow(dvms, [/^Recent jobs$/]));
  // A job row is labelled by its input (here the hostile text the customer sent), cut short.
  const job = await waitForRowParts(dvms, (row) => row.label.startsWith('Evil DVM') && /result-delivered/.test(row.description));
  assertNeutralised(job.label, 'the job row label', 64);

  const kinds = await expandView(page, 'Kinds');
  const kindsRow = await waitForRowParts(kinds, (row) => row.label.startsWith(`${JOB_KIND} Evil DVM`));
  assertNeutralised(kindsRow.label, 'the Kinds tree label', KIND_PREFIX + 200);
  await page.mouse.move(900, 450);
  await screenshot(page, 'hostile-dvm-tree');
  await assertShownAsText(page, [], 'the workbench');
});

test('Watch DVM lists it in a quick pick with the name neutralised and no icon drawn from it; picking it watches it', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Swarmscope: Watch DVM');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Watch DVM' }).first().click();
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'workbench.action.quit' }).first();
  await pick.waitFor({ state: 'visible', timeout: 15_000 });
  const label = pick.locator('.label-name').first();
  const text = (await label.textContent()) ?? '';
  const icons = await label.locator('.codicon').count();
  // Watched first, checked after: the notification test needs the pin whatever this test finds.
  await pick.click();
  await input.waitFor({ state: 'hidden' });
  assertNeutralised(text, 'the quick pick label');
  // `$(zap)` in a quick pick label is drawn as an icon; neutralised it stays text.
  assert.equal(icons, 0, 'the DVM name drew an icon in the quick pick');
  assert.ok(text.includes('$ (zap)'), text);

  const watched = await expandView(page, 'Watched');
  assertNeutralised((await waitForRowParts(watched, (row) => NAMED.test(row.label))).label, 'the Watched tree label');
});

test('the silence notification names the DVM as text: no link, nothing that runs a command', { timeout: ALERT_TIMEOUT_MS + 30_000 }, async () => {
  const page = workbench.page;
  const message = await waitForNotification(page, 'Swarmscope: Evil DVM', ALERT_TIMEOUT_MS);
  const toast = page.locator('.notification-toast .notification-list-item-message', { hasText: 'Swarmscope: Evil DVM' }).first();
  // VS Code turns `[text](command:…)` in a notification into an anchor that runs the command when clicked.
  assert.equal(await toast.locator('a').count(), 0, `the notification holds a link: ${await toast.innerHTML()}`);
  assertNeutralised(message, 'the notification', 'Swarmscope: '.length + 400);
  // VS Code cuts a notification at 1,000 characters: the 2,000-character name is cut in its middle instead, so
  // what happened is still said.
  assert.match(message, /^Swarmscope: Evil DVM .* has not answered a job addressed to it for \d+ (s|min)\b/);
  await screenshot(page, 'hostile-notification');
  // The workbench is still there: nothing asked it to quit.
  assert.equal(await page.locator('.monaco-workbench').count(), 1);
  await assertShownAsText(page, [], 'the workbench');
});

test('the engine log quotes the alert with the name neutralised, on one line', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await runPaletteCommand(page, 'Swarmscope: Show Engine Log');
  // Monaco draws spaces as U+00A0, and a raw control character as a visible symbol: it is the text that is read.
  const lines = page.locator('.part.panel .monaco-editor .view-lines .view-line');
  const deadline = Date.now() + 20_000;
  let shown: string[] = [];
  let text: string | undefined;
  while (text === undefined) {
    shown = (await lines.allTextContents()).map((line) => line.replace(/\u00a0/g, ' '));
    text = shown.find((line) => line.includes('has not answered a job addressed to it'));
    if (text === undefined && Date.now() > deadline) assert.fail(`no alert line in the log; lines: ${JSON.stringify(shown.map((line) => line.slice(0, 160)))}`);
    if (text === undefined) await page.waitForTimeout(250);
  }
  assert.match(text, /\[warning\] Evil DVM .*workbench\.action\.quit/, text.slice(0, 300));
  assert.doesNotMatch(text, /\]\(|command:\S|\$\(/, `the log line keeps link or icon syntax: ${text.slice(0, 300)}`);
  assert.doesNotMatch(text, CONTROL, `the log line holds control characters: ${JSON.stringify(text.slice(0, 300))}`);
  await runPaletteCommand(page, 'View: Hide Panel');
});

test('the DVM dashboard shows the hostile name and kind name as text, and nothing in them runs', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.'), 30_000);
  await runPaletteCommand(page, 'Swarmscope: Open DVM Dashboard');
  const content = webviewContent(page);
  await content.locator('.card', { hasText: 'Most popular DVM' }).filter({ hasText: 'Evil DVM' }).waitFor({ state: 'visible', timeout: 30_000 });
  // The engine keeps the first 2,000 characters of a profile name: every short payload and part of the long text.
  await assertShownAsText(content, [
    COMMAND_LINK, ICON_SYNTAX, CONTROL_CHARACTERS, BIDI_OVERRIDE, ...Object.values(HTML_PAYLOADS), 'W'.repeat(1_000),
  ], 'the DVM dashboard');
  assert.match(await content.locator('.card', { hasText: 'Most popular kind' }).innerText(), new RegExp(`${JOB_KIND} Evil DVM`));
  await screenshot(page, 'hostile-dashboard');
  await runPaletteCommand(page, 'View: Close All Editors');
});

test('the Weights panel shows a node\'s hostile error message as text, and nothing in it runs', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Swarmscope: Show Weights Matrix');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Swarmscope: Show Weights Matrix' }).first().click();
  await page.locator('.quick-input-widget', { hasText: 'Netuid of the subnet' }).waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(String(NETUID));
  await input.press('Enter');

  const content = webviewContent(page);
  await content.locator('body', { hasText: 'node says' }).waitFor({ state: 'visible', timeout: 45_000 });
  assert.ok(proxy!.rewritten > 0, 'the node answered the weights read with the hostile error');
  await assertShownAsText(content, [HOSTILE_NODE_ERROR], 'the Weights panel');
  await screenshot(page, 'hostile-weights');
});
