import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import {
  expandView, openActivity, runPaletteCommand, screenshot, waitForStatusBarEntry,
  welcomeText,
} from '../support/browser';
import { childTexts, expandRow, rowTexts, runRowContextAction, waitForRow, widenSidebar } from '../support/treeRows';
import { RelayPublisher } from '../support/dvmSimulator';
import { shownEditorText } from '../support/editorText';
import { DvmScene } from './dvmScene';
import { eventually } from '../support/eventually';

/**
 * The DVMs and Kinds trees, live, in the packaged extension: a real relay on loopback is the only relay in the
 * user's settings; a simulated DVM (NIP-89 announcement, then payment-required → processing → result for each
 * 5050 job) starts only once the workbench is up, so everything it does has to reach the trees while they are
 * open — nothing here ever clicks a refresh button. One code-server, relay and page serve the tests in order.
 * Screenshots: dvm-event-json, dvm-tree, contextvm-servers (test-results/screenshots/).
 */

const DVM_NAME = 'Swarmscope Echo DVM';
/** Generous: the bar (a new event in the trees within a second) is measured by `npm run bench nostr`, not here. */
const LIVE_TIMEOUT_MS = 15_000;

const scene = new DvmScene('dvm-tree');
const workbench = scene.workbench;
const jobs: Event[] = [];

before(() => scene.open(), { timeout: 300_000 });

after(() => scene.close());

async function publishJob(input: string): Promise<Event> {
  const job = await scene.publishJob(input);
  jobs.push(job);
  return job;
}

test('the engine starts with the loopback relay and the DVMs view is empty', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const entry = await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /running/i.test(item.ariaLabel), 30_000);
  assert.match(entry.ariaLabel, /^Swarmscope engine: running/);
  await openActivity(page, 'Swarmscope');
  await widenSidebar(page, 560);
  // No DVM has published anything yet: the view shows its welcome text, so whatever appears later came live.
  assert.match(await welcomeText(page, 'DVMs'), /No DVM has been seen yet/);
});

test('a DVM that answers a job appears in the DVMs tree live, with the job counted', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const dvm = await scene.startDvm({ name: DVM_NAME, amountMsats: 21_000 });
  const job = await publishJob('hello from the e2e test');
  const pane = await expandView(page, 'DVMs');
  const row = await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`), /\b1 job\b/]);
  // The simulator answered with a result, so the one job is a success.
  await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`), /\b1 job · 100% success/]);
  assert.equal(await pane.locator('.welcome-view-content').isVisible(), false, 'the welcome text gave way to the tree');
  assert.equal(await row.getAttribute('aria-level'), '1');
  assert.ok(dvm.answersTo(job.id).some((event) => event.kind === 6050), 'the simulator delivered a result');
});

test('the Kinds tree shows kind 5050 by name, with its request and its DVM', { timeout: 30_000 }, async () => {
  const pane = await expandView(workbench.page, 'Kinds');
  await waitForRow(pane, [/^5050 text generation\b/, /\b1 request\b/, /\b1 DVM\b/]);
});

test('expanding the DVM lists the job under Recent jobs; its Open Event JSON opens the request JSON read-only', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const [job] = jobs;
  const pane = await expandView(page, 'DVMs');
  await expandRow(await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`)]));
  await waitForRow(pane, [/^Kinds$/]);
  await expandRow(await waitForRow(pane, [/^Recent jobs$/]));
  const jobRow = await waitForRow(pane, [/^hello from the e2e test\b/, /\bresult-delivered\b/]);
  assert.equal(await jobRow.getAttribute('aria-level'), '3', 'the job sits under DVM → Recent jobs');

  // A click opens the job's trace (test/e2e/tracePanel.test.ts); the JSON is the row's context action.
  const tab = page.locator('.tabs-container .tab.active');
  await runRowContextAction(jobRow, 'Open Event JSON', () => tab.filter({ hasText: `${job.id}.json` }).isVisible());
  const editor = page.locator('.editor-group-container.active .monaco-editor').first();
  const lines = editor.locator('.view-lines');
  await lines.filter({ hasText: job.id }).waitFor({ state: 'visible', timeout: 15_000 });
  const text = await shownEditorText(editor);
  assert.ok(text.includes(`"id": "${job.id}"`), `the editor shows the request's id; it shows: ${text.slice(0, 400)}`);
  assert.match(text, /"kind": 5050/);
  assert.ok(text.includes(`"sig": "${job.sig}"`), 'the signed event as the relay carried it');
  await screenshot(page, 'dvm-event-json');

  // Read-only: typing is refused with VS Code's own message, and the text stays as it was.
  await editor.locator('.view-lines').click();
  await page.keyboard.type('x');
  await page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).first().waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await shownEditorText(editor), text, 'the document did not change');
});

test('a second job updates the DVM row to 2 jobs while the view stays open', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  await runPaletteCommand(page, 'View: Close All Editors');
  const pane = await expandView(page, 'DVMs');
  const dvmRow = await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`), /\b1 job\b/]);
  assert.equal(await dvmRow.getAttribute('aria-expanded'), 'true', 'the DVM is still expanded from the test before');

  const second = await publishJob('and a second one');
  await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`), /\b2 jobs · 100% success/]);
  // The refresh kept the user's place: the DVM and its Recent jobs are still open, now with both jobs.
  assert.equal(await (await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`)])).getAttribute('aria-expanded'), 'true');
  assert.equal(await (await waitForRow(pane, [/^Recent jobs$/])).getAttribute('aria-expanded'), 'true');
  const deadline = Date.now() + LIVE_TIMEOUT_MS;
  let jobRows: string[] = [];
  while (Date.now() < deadline) {
    jobRows = (await rowTexts(pane)).filter((text) => /^(hello from the e2e test|and a second one)\b/.test(text) && /\bresult-delivered\b/.test(text));
    if (jobRows.length >= 2) break;
    await page.waitForTimeout(150);
  }
  assert.equal(jobRows.length, 2, `Recent jobs lists both delivered jobs; rows: ${JSON.stringify(await rowTexts(pane))}`);
  assert.ok(scene.dvm!.answersTo(second.id).some((event) => event.kind === 6050));

  const kinds = await expandView(page, 'Kinds');
  await waitForRow(kinds, [/^5050 text generation\b/, /\b2 requests\b/, /\b1 DVM\b/]);
  await page.mouse.move(900, 450);
  await screenshot(page, 'dvm-tree');
});

test('a ContextVM server appears in its own section after the DVMs, with its tools and its live-only traffic', { timeout: 60_000 }, async () => {
  const page = workbench.page;
  const server = generateSecretKey();
  const client = generateSecretKey();
  const sign = (key: Uint8Array, kind: number, tags: string[][], content: string) =>
    finalizeEvent({ kind, tags, content, created_at: Math.floor(Date.now() / 1000) }, key);
  const publisher = await RelayPublisher.connect(scene.relay!.url);
  try {
    const tools = ['echo', 'add_numbers', 'search'];
    await publisher.publish(sign(server, 11316, [['name', 'Loopback <b>MCP</b>'], ['about', 'an MCP server over Nostr']], JSON.stringify({ serverInfo: { name: 'loopback', version: '1' } })));
    await publisher.publish(sign(server, 11317, [], JSON.stringify({ tools: tools.map((name) => ({ name, inputSchema: { type: 'object' } })) })));
    const pane = await expandView(page, 'DVMs');
    // The DVM is still open from the tests before; closed, its rows leave room for the servers in this short view.
    const dvmRow = await waitForRow(pane, [new RegExp(`^${DVM_NAME}\\b`)]);
    if (await dvmRow.getAttribute('aria-expanded') === 'true') await dvmRow.click();
    await eventually('the DVM row closed', async () => (await rowTexts(pane)).every((text) => !/^Recent jobs$/.test(text)) || undefined);
    const section = await waitForRow(pane, [/^MCP servers \(ContextVM\)/, /\b1 · traffic live only, since \d{4}-\d\d-\d\d \d\d:\d\d/], LIVE_TIMEOUT_MS);
    assert.equal(await section.getAttribute('aria-level'), '1', 'a section of its own at the root, not under a DVM');
    const texts = await rowTexts(pane);
    assert.ok(texts.findIndex((text) => new RegExp(`^${DVM_NAME}\\b`).test(text)) < texts.findIndex((text) => /^MCP servers/.test(text)), 'after the DVMs');
    // The name is the server's own words, shown as text.
    await waitForRow(pane, [/^Loopback <b>MCP<\/b>/, /\b3 tools · 0 req \/ 0 resp live\b/], LIVE_TIMEOUT_MS);

    // Ephemeral requests (25910) reach the row live; a response answers one of them.
    const requests = [1, 2].map((n) => sign(client, 25910, [['p', getPublicKey(server)]], JSON.stringify({ method: 'tools/call', params: { name: 'echo', arguments: { n } } })));
    for (const request of requests) await publisher.publish(request);
    await publisher.publish(sign(server, 25910, [['e', requests[0].id], ['p', getPublicKey(client)]], JSON.stringify({ result: { content: [] } })));
    const row = await waitForRow(pane, [/^Loopback <b>MCP<\/b>/, /\b3 tools · 2 req \/ 1 resp live · seen just now\b/], LIVE_TIMEOUT_MS);
    assert.equal(await row.getAttribute('aria-level'), '2');
    await page.mouse.move(900, 450); // no tooltip over the rows
    await expandRow(row);
    await waitForRow(pane, [/^add_numbers$/]);
    assert.deepEqual(await childTexts(pane, /^Loopback <b>MCP<\/b>/, 3), tools);
    await page.mouse.move(900, 450);
    await screenshot(page, 'contextvm-servers');
  } finally {
    publisher.close();
  }
});
