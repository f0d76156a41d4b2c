import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TraceGraph } from '../../src/protocol/nostrProtocol';
import { panelGraph, type TracePanelGraph } from '../../src/protocol/tracePanelProtocol';
import { bolt11Rows, decodeRequestTag, prettyEvent, tagRows } from '../../webview/trace/eventDetails';
import { canvasText, delay, dvmFlags, LABEL_LENGTH } from '../../webview/trace/traceFormat';
import { changedSince, toGraphData } from '../../webview/trace/traceGraphData';
import { groupOf, TRACE_GROUPS } from '../../webview/trace/traceGroups';
import { layoutTrace } from '../../webview/trace/traceLayout';
import { makeBolt11Invoice } from '../support/bolt11Invoice';
import { Actor, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';

/**
 * The trace page's pure parts (webview/trace), on a real trace from the engine's model: where nodes go, how they
 * are grouped and labelled, and what the details pane decodes. The DOM parts are driven in code-server
 * (test/e2e/tracePanel.test.ts).
 */

const T = 1_760_000_000;
const customer = new Actor();
const fast = new Actor();
const failing = new Actor();
const zapper = new Actor();
const { invoice } = makeBolt11Invoice({ amountMsats: 21_000, description: '<b>job fee</b>', expirySeconds: 600, timestamp: T + 1 });
const request = customer.sign(5050, [['i', 'hello', 'text'], ['p', fast.pubkey], ['p', failing.pubkey]], '', T);
const quote = fast.sign(7000, [['e', request.id], ['status', 'payment-required'], ['amount', '30000', invoice]], '', T + 1);
const working = fast.sign(7000, [['e', request.id], ['status', 'processing']], '', T + 1);
const result = fast.sign(6050, [['e', request.id], ['p', customer.pubkey], ['request', JSON.stringify(request)]], 'hi', T + 3);
const zap = zapper.sign(9735, [['e', quote.id], ['p', fast.pubkey], ['bolt11', invoice], ['description', '{}']], '', T + 4);
const error = failing.sign(7000, [['e', request.id], ['status', 'error', 'out of GPUs']], '', T + 2);
const child = customer.sign(5001, [['i', request.id, 'job']], '', T + 5);
const childResult = fast.sign(6001, [['e', child.id], ['request', 'not json {']], 'summary', T + 6);
const hostileName = `Evil\u202E DVM ${'W'.repeat(5_000)}`;
const profile = fast.sign(31990, [['d', 'x'], ['k', '5050']], JSON.stringify({ name: hostileName }), T - 10);

let kit: CoreKit;
let graph: TraceGraph;
let page: TracePanelGraph;

before(async () => {
  kit = await openCore();
  await kit.core.ingest(undefined, [profile, request, quote, working, result, zap, error, child, childResult]);
  graph = kit.core.traceGraph(childResult.id)!;
  page = panelGraph(graph);
});

after(async () => {
  await kit.close();
});

test('layout: every node has its own place; parents above sub-jobs; a DVM\'s answers to its right in time order; invoices and zaps below what they belong to', () => {
  const at = layoutTrace(page);
  for (const node of page.nodes) assert.ok(at.has(node.id), `${node.id} is placed`);
  const spots = new Set([...at.values()].map((point) => `${point.x},${point.y}`));
  assert.equal(spots.size, page.nodes.length, 'no two nodes on one spot');
  const point = (id: string) => at.get(id)!;
  assert.ok(point(`request:${request.id}`).y < point(`request:${child.id}`).y, 'the parent job is above its sub-job');
  const dvm = point(`dvm:${request.id}:${fast.pubkey}`);
  const answers = [`feedback:${quote.id}`, `feedback:${working.id}`, `result:${result.id}`].map(point);
  assert.ok(answers.every((answer) => answer.y === dvm.y && answer.x > dvm.x), 'answers on the DVM\'s row, to its right');
  assert.ok(answers[0].x < answers[1].x && answers[1].x < answers[2].x, 'in time order (payment-required before processing at the same second)');
  const invoiceAt = point(`invoice:${quote.id}`);
  assert.equal(invoiceAt.x, answers[0].x);
  assert.ok(invoiceAt.y > answers[0].y, 'the invoice below its feedback');
  assert.ok(point(`zap:${zap.id}`).y > invoiceAt.y, 'the zap below the invoice it paid');
  assert.ok(point(`customer:${customer.pubkey}`).x < point(`request:${request.id}`).x, 'the customer left of the request');
});

test('graph data: groups by role and status, the asked node emphasised, bounded one-line labels, positions only when placing', () => {
  const placed = toGraphData(page, { place: true });
  const live = toGraphData(page, { place: false });
  assert.equal(placed.nodes.length, page.nodes.length);
  assert.equal(placed.edges.length, page.edges.length);
  assert.equal(new Set(placed.edges.map((edge) => edge.id)).size, placed.edges.length, 'edge ids are unique (updates find them)');
  assert.ok(placed.nodes.every((node) => node.x !== undefined && node.y !== undefined));
  assert.ok(live.nodes.every((node) => node.x === undefined && node.y === undefined), 'a live update moves nothing');
  const byId = new Map(placed.nodes.map((node) => [node.id, node]));
  assert.equal(byId.get(`feedback:${quote.id}`)?.group, 'feedback-payment');
  assert.equal(byId.get(`feedback:${error.id}`)?.group, 'feedback-error');
  assert.equal(byId.get(`invoice:${quote.id}`)?.group, 'invoice-mismatch', 'the amount tag (30 sats) disagrees with the bolt11 (21 sats)');
  assert.equal(byId.get(`zap:${zap.id}`)?.group, 'zap');
  assert.equal(byId.get(`result:${childResult.id}`)?.emphasis, true, 'the asked event');
  assert.equal(placed.nodes.filter((node) => node.emphasis).length, 1);
  assert.equal(placed.edges.find((edge) => edge.from === `request:${child.id}` && edge.to === `request:${request.id}`)?.label, 'sub-job of');
  const named = byId.get(`dvm:${request.id}:${fast.pubkey}`)!;
  assert.ok(Array.from(named.label).length <= LABEL_LENGTH, 'a 5,000-character name is cut for the canvas');
  assert.doesNotMatch(named.label, /\u202E/, 'no bidi override on the canvas');
  assert.match(named.title ?? '', /^dvm: Evil DVM W+…\n/);
  for (const node of page.nodes) assert.ok(groupOf(node) in TRACE_GROUPS, `${node.id} has a legend entry`);
});

test('details: the request tag decoded (or said not to be JSON), tags as rows, the event in NIP-01 order, the bolt11 decoded', () => {
  const decoded = decodeRequestTag(result);
  assert.ok(decoded?.ok);
  assert.equal(JSON.parse(decoded.pretty).id, request.id);
  const broken = decodeRequestTag(childResult);
  assert.ok(broken && !broken.ok && broken.raw === 'not json {');
  assert.equal(decodeRequestTag(request), undefined);
  assert.deepEqual(tagRows(quote)[2], { name: 'amount', values: ['30000', invoice] });
  assert.deepEqual(Object.keys(JSON.parse(prettyEvent(result))), ['id', 'pubkey', 'created_at', 'kind', 'tags', 'content', 'sig']);
  const invoiceNode = page.nodes.find((node) => node.id === `invoice:${quote.id}`)!;
  const rows = new Map(bolt11Rows(invoiceNode.bolt11!));
  assert.equal(rows.get('Amount'), '21 sats');
  assert.equal(rows.get('Expiry'), '600 s');
  assert.equal(rows.get('Description'), '<b>job fee</b>', 'untrusted text kept as it is, for textContent');
});

test('flags and words: the DVM summary flags, delays, and canvas text', () => {
  const failingSummary = page.dvms.find((dvm) => dvm.pubkey === failing.pubkey && dvm.requestId === request.id)!;
  assert.deepEqual(dvmFlags(failingSummary), ['error']);
  const fastSummary = page.dvms.find((dvm) => dvm.pubkey === fast.pubkey && dvm.requestId === request.id)!;
  assert.deepEqual(dvmFlags(fastSummary), ['amount tag ≠ bolt11']);
  assert.equal(delay(null), '–');
  assert.equal(delay(0), '+0 s');
  assert.equal(delay(125), '+2 min 5 s');
  assert.equal(delay(-2), '−2 s');
  assert.equal(canvasText('a\u001b[2Jb\nc'), 'ab c');
  assert.match(canvasText('[x](command:workbench.action.quit)'), /^\[x\] \(command: workbench/, 'link syntax broken');
});

test('a live update hands the view only what is new or drawn differently', () => {
  const before = toGraphData(page, { place: false });
  assert.deepEqual(changedSince(before, before), { nodes: [], edges: [] });
  const grown = { ...page, nodes: [...page.nodes, { id: 'feedback:new', type: 'feedback' as const, label: 'processing', status: 'processing', requestId: request.id }], edges: [...page.edges, { from: 'feedback:new', to: `dvm:${request.id}:${fast.pubkey}`, type: 'feedback-for' as const }] };
  const asked = { ...grown, nodes: grown.nodes.map((node) => ({ ...node, asked: node.id === `request:${request.id}` })) };
  const changed = changedSince(before, toGraphData(asked, { place: false }));
  assert.deepEqual(changed.nodes.map((node) => node.id).sort(), ['feedback:new', `request:${request.id}`, `result:${childResult.id}`].sort(), 'the new node, and the two whose emphasis moved');
  assert.deepEqual(changed.edges.map((edge) => edge.from), ['feedback:new']);
});
