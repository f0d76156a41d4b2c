import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { neventEncode, noteEncode, nsecEncode } from 'nostr-tools/nip19';
import { generateSecretKey, type Event } from 'nostr-tools/pure';
import type { FrameLocator, Page } from 'playwright-core';
import { exportFileName } from '../../src/panels/traceDocuments';
import { expandView, openActivity, runPaletteCommandWith, screenshot, viewPane, waitForStatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS, type CodeServer } from '../support/codeServer';
import { buildChainedJob, buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { eventually } from '../support/eventually';
import { answerFileDialog } from '../support/simpleFileDialog';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { expandRow, runRowContextAction, waitForRow, widenSidebar } from '../support/treeRows';
import { closeAllEditors, openTraceFromPalette, timelineIds, tracePanel } from '../support/tracePanelDriver';
import { editorTab, reloadWindow, webviewContent } from '../support/webviewPanels';
import { assertShownAsText, BIDI_OVERRIDE, COMMAND_LINK, HTML_PAYLOADS, hostileText, ICON_SYNTAX } from '../support/xssPayloads';
import { WorkbenchSession } from './workbenchSession';

/**
 * The job-trace panel in the packaged extension. A real relay on loopback is the only relay in the settings; a
 * simulated DVM answers 5050 jobs (payment-required with a real invoice, processing, result). A second relay that
 * the settings do not name holds a job only an nevent's relay hint leads to. The trace opens from the palette by
 * hex id, note1… and nevent1…, and from a job row of the DVMs tree; what the panel shows is read inside its frame.
 *
 * Double-clicking a node of the canvas is not driven here (Playwright cannot find a node on a canvas): the DVM is
 * revealed through the same action's keyboard path (its row in the DVM table, Enter, then "Reveal in DVMs view"),
 * and its page opened from the same details ("Open DVM page"). "Send Test Job…" opens the playground filled from
 * the job; a job of the customer's own key (imported) has its encrypted result shown decrypted.
 * Screenshot: trace-panel (the README's picture).
 */

const DVM_NAME = 'Trace Echo DVM';
const LIVE_TIMEOUT_MS = 20_000;
/** Every short payload (the relay refuses a tag value of 1,024 characters or more; the DVM's name has the long text). */
const HOSTILE_INPUT = hostileText('Evil input').slice(0, 1_000);

let relay: TestRelay | undefined;
let otherRelay: TestRelay | undefined;
let customer: RelayPublisher | undefined;
let dvm: DvmSimulator | undefined;
let server: CodeServer | undefined;
const extraSimulators: DvmSimulator[] = [];
const workbench = new WorkbenchSession('trace-panel');
const customerKey = generateSecretKey();
let firstJob: Event | undefined;

before(async () => {
  relay = await startRelay();
  otherRelay = await startRelay();
  customer = await RelayPublisher.connect(relay.url);
  server = await workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.nostr.relays': [relay.url], 'swarmscope.bittensor.trackedSubnets': [] });
  dvm = await DvmSimulator.start({ relayUrl: relay.url, name: DVM_NAME, amountMsats: 21_000 });
}, { timeout: 300_000 });

after(async () => {
  customer?.close();
  await dvm?.stop();
  for (const simulator of extraSimulators) await simulator.stop();
  await workbench.close();
  await relay?.stop();
  await otherRelay?.stop();
});

/** A job addressed to `to`, published on `publisher`'s relay; resolves once that DVM has delivered its result. */
async function answeredJob(input: string, to = dvm!, publisher = customer!, make = (dvmPubkey: string) => buildJobRequest({ secretKey: customerKey, input, dvmPubkey })): Promise<{ job: Event; answers: Event[] }> {
  const job = make(to.pubkey);
  await publisher.publish(job);
  const answers = await eventually(`${to.pubkey.slice(0, 8)}'s result for "${input.slice(0, 20)}"`, () => {
    const published = to.answersTo(job.id);
    return published.some((event) => event.kind === 6050) ? published : undefined;
  });
  return { job, answers };
}

async function waitForTimeline(content: FrameLocator, expected: readonly string[]): Promise<void> {
  let last: string[] = [];
  await eventually(`the timeline listing ${expected.length} events`, async () => {
    last = await timelineIds(content);
    return last.length === expected.length && [...last].sort().join() === [...expected].sort().join();
  }, LIVE_TIMEOUT_MS).catch((error: Error) => assert.fail(`${error.message}; it lists ${JSON.stringify(last.map((id) => id.slice(0, 8)))}, expected ${JSON.stringify(expected.map((id) => id.slice(0, 8)))}`));
}

async function askedRow(content: FrameLocator): Promise<string | undefined> {
  const rows = await content.locator('table.timeline tbody tr[aria-current="true"]').evaluateAll((found) => found.map((row) => (row as unknown as { dataset: Record<string, string> }).dataset.eventId ?? ''));
  return rows[0];
}


/** Shows the Swarmscope views unless they are shown: a click on its activity-bar entry would then close the sidebar. */
async function showSwarmscope(page: Page): Promise<void> {
  if (!(await viewPane(page, 'DVMs').isVisible())) await openActivity(page, 'Swarmscope');
}

function traceTabs(page: Page) {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: /^Job Trace · / }) });
}

test('Open Job Trace with a hex id draws the job: the timeline lists exactly its published events', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  // The engine is up (the bittensor endpoint is a closed port, so it need not read "healthy").
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /Swarmscope engine: (healthy|running|degraded)/i.test(item.ariaLabel), 60_000);
  const { job, answers } = await answeredJob('first job');
  firstJob = job;
  await openTraceFromPalette(page, job.id);
  const content = await tracePanel(page, job.id);
  await waitForTimeline(content, [job.id, ...answers.map((event) => event.id)]);
  assert.equal(answers.length, 3, 'payment-required, processing and the result');
  assert.equal(await askedRow(content), job.id, 'the asked event is marked');
  assert.match(await content.locator('h1').innerText(), /Job trace · 5050 text generation/);
  // customer, request, DVM, two feedback, the result, and the invoices of the payment-required and of the result
  // (the simulator's result carries an amount tag too)
  assert.equal(await content.locator('.graph').getAttribute('data-nodes'), '8');
  assert.match((await content.locator('.graph').getAttribute('aria-label')) ?? '', /8 nodes, 7 edges/);
  // The graph follows the tables: vis-network loads after the page's first paint.
  await content.locator('.graph canvas').waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await content.locator('table.dvms tbody').innerText(), new RegExp(`${DVM_NAME}[\\s\\S]*result-delivered`));
  assert.match(await content.locator('.legend').innerText(), /payment required[\s\S]*invoice[\s\S]*zap/);
});

test('a note1 of the result reveals the same panel (one per job) and highlights the result', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const result = dvm!.answersTo(firstJob!.id).find((event) => event.kind === 6050)!;
  await closeAllEditors(page);
  await openTraceFromPalette(page, firstJob!.id);
  // A page that is loading takes the focus when it is ready, which would close a quick pick opened meanwhile.
  await tracePanel(page, firstJob!.id);
  await openTraceFromPalette(page, noteEncode(result.id));
  const content = await tracePanel(page, firstJob!.id);
  await eventually('the result marked as the asked event', async () => (await askedRow(content)) === result.id);
  assert.equal(await traceTabs(page).count(), 1, 'one trace panel for the job');
  // The details pane shows the asked result: its signed event, and the request it quotes, decoded.
  const details = content.locator('.details');
  await details.locator('pre.json', { hasText: `"id": "${result.id}"` }).waitFor({ state: 'visible', timeout: 15_000 });
  assert.match(await details.innerText(), /Request tag, decoded/);
  assert.ok((await details.innerText()).includes(`"id": "${firstJob!.id}"`), 'the decoded request tag names the job');
});

test('an nevent1 whose relay hint is the only relay holding the job fetches it, with its answers', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  const remoteCustomer = await RelayPublisher.connect(otherRelay!.url);
  const remoteDvm = await DvmSimulator.start({ relayUrl: otherRelay!.url, name: 'Elsewhere DVM', amountMsats: 5_000 });
  extraSimulators.push(remoteDvm);
  try {
    const { job, answers } = await answeredJob('only on the other relay', remoteDvm, remoteCustomer);
    const result = answers.find((event) => event.kind === 6050)!;
    await openTraceFromPalette(page, neventEncode({ id: result.id, relays: [otherRelay!.url] }));
    const content = await tracePanel(page, job.id);
    await waitForTimeline(content, [job.id, ...answers.map((event) => event.id)]);
    assert.equal(await askedRow(content), result.id);
    assert.match(await content.locator('table.dvms tbody').innerText(), /Elsewhere DVM/, 'its profile was fetched with the chain');
  } finally {
    remoteCustomer.close();
  }
});

test('while the panel is open, a job being answered grows in it, in the same page', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  dvm!.answering = false;
  const job = buildJobRequest({ secretKey: customerKey, input: 'answered later', dvmPubkey: dvm!.pubkey });
  await customer!.publish(job);
  await eventually('the DVM to have seen (and ignored) the job', () => dvm!.ignored.some((event) => event.id === job.id));
  await openTraceFromPalette(page, job.id);
  const content = await tracePanel(page, job.id);
  await waitForTimeline(content, [job.id]);
  await content.locator(':root').evaluate(() => ((globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true));

  dvm!.answering = true;
  await dvm!.answerJob(job);
  const answers = dvm!.answersTo(job.id);
  assert.equal(answers.length, 3);
  await waitForTimeline(content, [job.id, ...answers.map((event) => event.id)]);
  assert.equal(await content.locator('.graph').getAttribute('data-nodes'), '8', 'the graph grew from 3 nodes to 8');
  assert.equal(await content.locator(':root').evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage === true), true, 'no reload: added live');
});

test('a DVM selected from the keyboard is revealed in the DVMs view (the double-click action\'s keyboard path)', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await showSwarmscope(page);
  const dvmsView = await expandView(page, 'DVMs');
  // Collapse nothing, select nothing: the reveal must do it.
  await openTraceFromPalette(page, firstJob!.id);
  const content = await tracePanel(page, firstJob!.id);
  const row = content.locator('table.dvms tbody tr').first();
  await row.focus();
  await row.press('Enter');
  const reveal = content.locator('.details button', { hasText: 'Reveal in DVMs view' });
  await reveal.waitFor({ state: 'visible' });
  await reveal.focus();
  await reveal.press('Enter');
  const selected = dvmsView.locator('.pane-body .monaco-list-row[aria-selected="true"]');
  await selected.filter({ hasText: DVM_NAME }).waitFor({ state: 'visible', timeout: 15_000 });
});

test('a DVM of the trace opens its DVM page (Open DVM page in its details), beside the reveal in the DVMs view', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await closeAllEditors(page);
  await openTraceFromPalette(page, firstJob!.id);
  const content = await tracePanel(page, firstJob!.id);
  const row = content.locator('table.dvms tbody tr').first();
  await row.focus();
  await row.press('Enter');
  await content.locator('.details button', { hasText: 'Reveal in DVMs view' }).waitFor({ state: 'visible' });
  await content.locator('.details button', { hasText: 'Open DVM page' }).click();
  await editorTab(page, 'DVM Pages').waitFor({ state: 'visible', timeout: 30_000 });
  await webviewContent(page).locator('h1', { hasText: DVM_NAME }).waitFor({ state: 'visible', timeout: 30_000 });
  await closeAllEditors(page);
});

test('Send Test Job… opens the playground with the job\'s kind, input and target filled in', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await openTraceFromPalette(page, firstJob!.id);
  const content = await tracePanel(page, firstJob!.id);
  await content.locator('button', { hasText: 'Send Test Job…' }).click();
  await editorTab(page, `Post Again · ${firstJob!.id.slice(0, 8)}`).waitFor({ state: 'visible', timeout: 30_000 });
  const form = webviewContent(page);
  // The form is set up (with the key's npub) before the job fills it; both wait on the extension, slow under load.
  await form.locator('#identity', { hasText: 'npub1' }).waitFor({ state: 'visible', timeout: 30_000 });
  await eventually('the form filled from the job', async () => (await form.locator('textarea.input-data').first().inputValue()) === 'first job', LIVE_TIMEOUT_MS);
  assert.equal(await form.locator('#kind').inputValue(), '5050');
  assert.equal(await form.locator('#dvm').inputValue(), dvm!.pubkey);
  await closeAllEditors(page);
});

test('your own encrypted job: its encrypted result is shown decrypted with your key, as text, and the key never reaches the page', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await runPaletteCommandWith(page, 'Swarmscope: Import Nostr Key…', 'secret key', nsecEncode(customerKey));
  const question = `a secret question ${HTML_PAYLOADS.imgOnerror}`;
  const { job, answers } = await answeredJob(question, dvm!, customer!, (dvmPubkey) => buildJobRequest({ secretKey: customerKey, input: question, dvmPubkey, encrypt: true }));
  const result = answers.find((event) => event.kind === 6050)!;
  assert.ok(result.tags.some((tag) => tag[0] === 'encrypted') && !result.content.includes('secret question'), 'the result travels encrypted');
  await openTraceFromPalette(page, result.id);
  const content = await tracePanel(page, job.id);
  await eventually('the result asked', async () => (await askedRow(content)) === result.id);
  const decrypted = content.locator('.details pre.decrypted');
  await decrypted.waitFor({ state: 'visible', timeout: 15_000 });
  assert.equal(await decrypted.innerText(), `echo: ${question}`);
  await assertShownAsText(content, [question], 'the trace panel\'s decrypted answer');
  const html = await content.locator(':root').evaluate((root) => (root as unknown as { outerHTML: string }).outerHTML);
  const secretHex = Buffer.from(customerKey).toString('hex');
  assert.ok(!html.includes(secretHex) && !html.includes(nsecEncode(customerKey)), 'the secret key is not in the page');
});

test('a job row of the DVMs tree opens its trace on click; Open Event JSON stays in its context menu', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await closeAllEditors(page);
  await showSwarmscope(page);
  await widenSidebar(page, 520);
  const pane = await expandView(page, 'DVMs');
  await expandRow(await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`)], LIVE_TIMEOUT_MS));
  await expandRow(await waitForRow(pane, [/^Recent jobs$/]));
  // A job row names the job by its input (or its kind), with its status.
  const jobRow = await waitForRow(pane, [/^(first job|5050 text generation)\b/, /\bresult-delivered\b/], LIVE_TIMEOUT_MS);
  await jobRow.click();
  await traceTabs(page).first().waitFor({ state: 'visible', timeout: 30_000 });
  await webviewContent(page).locator('table.timeline tbody tr').first().waitFor({ state: 'visible', timeout: 30_000 });

  // Found again: the trace's reads may have refreshed the tree, and a row is found by its place.
  const sameRow = await waitForRow(pane, [/^(first job|5050 text generation)\b/, /\bresult-delivered\b/], LIVE_TIMEOUT_MS);
  await runRowContextAction(sameRow, 'Open Event JSON', () => page.locator('.tabs-container .tab.active', { hasText: /\.json/ }).isVisible());
  await closeAllEditors(page);
});

test('hostile content and names are shown as text in the panel, and nothing in them runs', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  const evil = await DvmSimulator.start({ relayUrl: relay!.url, name: hostileText('Evil DVM'), amountMsats: 3_000 });
  extraSimulators.push(evil);
  const { job } = await answeredJob(HOSTILE_INPUT, evil);
  await openTraceFromPalette(page, job.id);
  const content = await tracePanel(page, job.id);
  await content.locator('table.dvms tbody tr', { hasText: 'Evil DVM' }).waitFor({ state: 'visible', timeout: LIVE_TIMEOUT_MS });
  // The request's row: its tags table shows the hostile input exactly, value by value.
  const requestRow = content.locator(`table.timeline tbody tr[data-event-id="${job.id}"]`);
  await requestRow.focus();
  await requestRow.press('Enter');
  await content.locator('.details table.tags').waitFor({ state: 'visible', timeout: 15_000 });
  await assertShownAsText(content, [HOSTILE_INPUT, 'Evil DVM', COMMAND_LINK, ICON_SYNTAX, BIDI_OVERRIDE, ...Object.values(HTML_PAYLOADS), 'W'.repeat(1_000)], 'the trace panel');
});

test('Export saves the signed events and the graph as JSON where the user says', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await openTraceFromPalette(page, firstJob!.id);
  const content = await tracePanel(page, firstJob!.id);
  await content.locator('button', { hasText: 'Export JSON…' }).click();
  const target = path.join(server!.workspace, 'exported-trace.json');
  await answerFileDialog(page, target, { value: exportFileName(firstJob!.id) });
  await eventually('the export file', () => fs.existsSync(target), LIVE_TIMEOUT_MS);
  const saved = await eventually('the whole export', () => {
    try {
      return JSON.parse(fs.readFileSync(target, 'utf8')) as { format: string; requestId: string; events: Event[]; graph: { nodes: unknown[]; timeline: { id: string }[] } };
    } catch {
      return undefined;
    }
  });
  assert.equal(saved.format, 'swarmscope-trace');
  assert.equal(saved.requestId, firstJob!.id);
  assert.deepEqual(saved.events.map((event) => event.id).sort(), [firstJob!.id, ...dvm!.answersTo(firstJob!.id).map((event) => event.id)].sort());
  assert.equal(saved.events.find((event) => event.id === firstJob!.id)?.sig, firstJob!.sig, 'the signed event as published');
  assert.equal(saved.graph.nodes.length, 8);
  await content.locator('.status', { hasText: 'Saved the trace' }).waitFor({ state: 'visible', timeout: 10_000 });
});

test('a chained job: the trace of the sub-job shows both jobs; after a window reload the panel comes back', { timeout: 180_000 }, async () => {
  const page = workbench.page;
  await closeAllEditors(page);
  const parent = await answeredJob('translate this, then summarise it');
  const child = await answeredJob('', dvm!, customer!, (dvmPubkey) => buildChainedJob({ secretKey: customerKey, previousRequestId: parent.job.id, dvmPubkey }));
  const childResult = child.answers.find((event) => event.kind === 6050)!;
  await openTraceFromPalette(page, childResult.id);
  const content = await tracePanel(page, child.job.id);
  await waitForTimeline(content, [parent.job.id, ...parent.answers.map((event) => event.id), child.job.id, ...child.answers.map((event) => event.id)]);
  assert.match(await content.locator('.subtitle').innerText(), /8 events in 2 jobs/);
  const resultRow = content.locator(`table.timeline tbody tr[data-event-id="${childResult.id}"]`);
  await resultRow.focus();
  await resultRow.press('Enter');
  await content.locator('.details pre.json').first().waitFor({ state: 'visible', timeout: 15_000 });
  // Selecting a row centres the graph on its node; the picture shows the whole chain.
  await content.locator('button', { hasText: 'Fit' }).click();
  await page.waitForTimeout(600);
  await page.mouse.move(1300, 120);
  await screenshot(page, 'trace-panel');

  await reloadWindow(page);
  const restored = await tracePanel(page, child.job.id);
  await waitForTimeline(restored, [parent.job.id, ...parent.answers.map((event) => event.id), child.job.id, ...child.answers.map((event) => event.id)]);
  assert.equal(await askedRow(restored), childResult.id, 'the restored panel still marks the asked event');
});
