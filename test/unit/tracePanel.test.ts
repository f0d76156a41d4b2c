import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { decode } from 'nostr-tools/nip19';
import type { Engine } from '../../src/engine/engine';
import { exportFileName, neventOf } from '../../src/panels/traceDocuments';
import { tracePanel, type TraceActions, type TracePanel } from '../../src/panels/tracePanel';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import type { NostrEvent, TraceGraph } from '../../src/protocol/nostrProtocol';
import { applyTraceDelta } from '../../src/protocol/traceDelta';
import { internJson } from '../../src/protocol/tracePanelWire';
import {
  graphMessage, isToTrace, panelGraph, traceDeltaOf, traceGraphOf, traceProtocol, type ToTrace, type TracePanelGraph,
} from '../../src/protocol/tracePanelProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { recordingRequester, startOfflineEngine } from '../support/offlineEngine';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * The trace panel's host logic (src/panels/tracePanel.ts) against a real in-process engine and the page's real
 * messenger (PanelLoopback): the first page reads the trace; `nostr.changed` notifications re-read it only when
 * they name a job of the chain (a new answer, a new sub-job through its parent); another event of the job moves
 * the highlight; the signed event is fetched on demand; copy and export go through the actions with real data.
 */

const T = 1_760_000_000;
const customer = new Actor();
const dvmA = new Actor();
const request = customer.sign(5050, [['i', 'hello', 'text'], ['p', dvmA.pubkey]], '', T);
const processing = dvmA.sign(7000, [['e', request.id], ['p', customer.pubkey], ['status', 'processing']], '', T + 1);
const result = dvmA.sign(6050, [['e', request.id], ['p', customer.pubkey], ['request', JSON.stringify(request)]], 'hi', T + 2);
const child = customer.sign(5001, [['i', request.id, 'job']], '', T + 3);
const unrelated = new Actor().sign(5050, [['i', 'other', 'text']], '', T + 4);

let engine: Engine;
const notifications: EngineNotification[] = [];
const { requester, calls } = recordingRequester(() => engine);

before(async () => {
  engine = await startOfflineEngine((notification) => notifications.push(notification));
});

after(async () => {
  await engine.dispose();
});

interface Recorded {
  readonly copied: string[];
  readonly saved: { name: string; text: string }[];
  readonly opened: string[];
  readonly revealed: string[];
  readonly pages: string[];
  readonly testJobs: string[];
}

function openPanel(asked: string, prefetched?: TraceGraph): { loop: PanelLoopback<typeof traceProtocol>; messages: ToTrace[]; actions: Recorded; controller: () => TracePanel } {
  const actions: Recorded = { copied: [], saved: [], opened: [], revealed: [], pages: [], testJobs: [] };
  const traceActions: TraceActions = {
    openEvent: (id) => actions.opened.push(id),
    revealDvm: async (pubkey) => {
      actions.revealed.push(pubkey);
      return true;
    },
    openDvmPage: (pubkey) => actions.pages.push(pubkey),
    sendTestJob: (requestId) => actions.testJobs.push(requestId),
    copy: async (text) => void actions.copied.push(text),
    saveJson: async (name, text) => {
      actions.saved.push({ name, text });
      return `/tmp/${name}`;
    },
  };
  const controllers = new Map<string, TracePanel>();
  const definition = tracePanel({ engine: requester, actions: traceActions }, controllers, new Map(prefetched ? [[request.id, prefetched]] : []));
  const subject = { requestId: request.id, asked };
  const loop = new PanelLoopback(traceProtocol, (channel) => definition.create(channel, subject));
  const messages: ToTrace[] = [];
  loop.page.onMessage((message) => messages.push(message));
  return { loop, messages, actions, controller: () => controllers.get(request.id)! };
}

async function ingest(...events: NostrEvent[]): Promise<void> {
  await engine.call('nostr.ingest', { events });
}

/** The trace as the page has it after these messages: the last whole graph with the deltas after it applied, as main.ts does. */
function lastGraph(messages: readonly ToTrace[]): TracePanelGraph {
  let graph: TracePanelGraph | undefined;
  let version: number | undefined;
  for (const message of messages) {
    if (message.type === 'graph') {
      graph = traceGraphOf(message);
      version = message.version;
    } else if (message.type === 'delta') {
      assert.ok(graph && message.since === version, `a delta from version ${message.since} for a page at version ${version}`);
      graph = applyTraceDelta(graph, traceDeltaOf(message));
      version = message.version;
    }
  }
  assert.ok(graph, `a graph arrived; got ${JSON.stringify(messages.map((message) => message.type))}`);
  return graph;
}

const traceReads = () => calls.filter((method) => method === 'nostr.traceGraph').length;

function changed(jobs: string[]): EngineNotification {
  return { topic: 'nostr.changed', payload: { dvms: [], kinds: [], jobs } };
}

test('the definition: one panel per job, restored from a valid subject only, restorable (onWebviewPanel), its page exists', () => {
  const definition = tracePanel({ engine: requester, actions: {} as TraceActions }, new Map());
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { activationEvents: string[] };
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${definition.viewType}`));
  assert.ok(fs.existsSync(path.join(__dirname, '../../webview', definition.bundle, 'main.ts')));
  assert.ok(definition.styles?.includes('dist/webview/vis-network.css'), 'vis-network\'s CSS is linked as a file');
  const subject = { requestId: request.id, asked: result.id };
  assert.deepEqual(definition.parseSubject(JSON.parse(JSON.stringify(subject))), subject);
  assert.equal(definition.key(subject), definition.key({ requestId: request.id, asked: request.id }), 'any event of the job: the same panel');
  for (const bad of [null, request.id, { requestId: request.id }, { requestId: 'x', asked: request.id }, { requestId: request.id.toUpperCase(), asked: request.id }]) {
    assert.equal(definition.parseSubject(bad), undefined, JSON.stringify(bad));
  }
});

test('the first page reads the trace: every event in the timeline, without the signed events (fetched on demand)', async () => {
  await ingest(request, processing);
  const { loop, messages } = openPanel(request.id);
  loop.page.ready();
  await eventually('the graph', () => messages.some((message) => message.type === 'graph'));
  const graph = lastGraph(messages);
  assert.deepEqual(graph.timeline.map((row) => row.id), [request.id, processing.id]);
  assert.ok(graph.timeline.every((row) => !('event' in row)), 'no signed event in the graph message');
  assert.ok(isToTrace(messages.at(-1)), 'what the page got passes the protocol guard');
  const fetched = await loop.page.request('event', { id: processing.id });
  assert.equal(fetched?.sig, processing.sig);
  assert.equal(await loop.page.request('event', { id: unrelated.id }), null, 'an event the store does not have');
  loop.session.dispose();
});

test('while visible, a change naming a job of the chain re-reads it; a change naming another job does not', async () => {
  const { loop, messages } = openPanel(request.id);
  loop.page.ready();
  await eventually('the first graph', () => messages.some((message) => message.type === 'graph'));
  const before = calls.filter((method) => method === 'nostr.traceGraph').length;

  await ingest(unrelated);
  loop.router.route(changed([unrelated.id]));
  await loop.settle(20);
  assert.equal(calls.filter((method) => method === 'nostr.traceGraph').length, before, 'an unrelated job: nothing read');

  await ingest(result);
  const sent = messages.length;
  loop.router.route(changed([request.id]));
  await eventually('the result in the timeline', () => lastGraph(messages).timeline.some((row) => row.id === result.id));
  // Only what changed crosses: the result's row and node (and its DVM's summary and node, now result-delivered).
  const update = messages.slice(sent).find((message) => message.type === 'delta' || message.type === 'graph');
  assert.equal(update?.type, 'delta', 'a live change is sent as a delta, not the whole trace');
  const delta = traceDeltaOf(update as Extract<ToTrace, { type: 'delta' }>);
  assert.deepEqual(delta.timeline.map(({ item }) => item.id), [result.id]);
  assert.ok(delta.nodes.length < lastGraph(messages).nodes.length, 'not every node');
  assert.deepEqual(lastGraph(messages), panelGraph((await engine.call('nostr.traceGraph', { id: request.id })).graph!), 'the page\'s graph equals a whole read');

  // A new sub-job names its parent in the notification (the engine does): the chain grows by a job.
  await ingest(child);
  loop.router.route(changed([child.id, request.id]));
  await eventually('the sub-job in the chain', () => lastGraph(messages).jobs.some((job) => job.requestId === child.id));
  assert.ok(lastGraph(messages).edges.some((edge) => edge.type === 'sub-job-of' && edge.from === `request:${child.id}`));
  loop.session.dispose();
});

test('opened with the opener\'s read, the first page gets it without a read; a page loaded again gets the whole trace at once', async () => {
  const { graph } = await engine.call('nostr.traceGraph', { id: request.id });
  const reads = traceReads();
  const { loop, messages } = openPanel(request.id, graph!);
  loop.page.ready();
  await eventually('the graph', () => messages.some((message) => message.type === 'graph'));
  assert.deepEqual(lastGraph(messages), panelGraph(graph!));
  // A page shown again (or reloaded) has nothing: it is sent the whole trace, not a delta, and nothing is read.
  loop.page.ready();
  await eventually('a second whole graph', () => messages.filter((message) => message.type === 'graph').length === 2);
  await loop.settle(20);
  assert.equal(traceReads(), reads, 'the trace was not read again');
  assert.ok(!messages.some((message) => message.type === 'loading'), 'no "reading" state');
  loop.session.dispose();
});

test('hidden, it listens to nothing; shown again after a change it missed, it reads once', async () => {
  const { loop, messages } = openPanel(request.id);
  loop.page.ready();
  await eventually('the first graph', () => messages.some((message) => message.type === 'graph'));
  loop.session.setVisible(false);
  assert.equal(loop.router.listenerCount('nostr.changed'), 0);
  const reads = calls.filter((method) => method === 'nostr.traceGraph').length;
  loop.router.route(changed([request.id]));
  loop.session.setVisible(true);
  await eventually('one read on show', () => calls.filter((method) => method === 'nostr.traceGraph').length === reads + 1);
  loop.session.dispose();
});

test('another event of the job moves the highlight; copy gives the id or an nevent with author and relays; export saves the signed events', async () => {
  const { loop, messages, actions, controller } = openPanel(request.id);
  loop.page.ready();
  await eventually('the first graph', () => messages.some((message) => message.type === 'graph'));
  controller().ask(result.id);
  await eventually('the result asked', () => lastGraph(messages).askedId === result.id);
  assert.equal(lastGraph(messages).timeline.find((row) => row.asked)?.id, result.id);

  loop.page.post({ type: 'copy', what: 'id', id: result.id });
  loop.page.post({ type: 'copy', what: 'nevent', id: result.id });
  await eventually('two copies', () => actions.copied.length === 2);
  assert.equal(actions.copied[0], result.id);
  const nevent = decode(actions.copied[1]) as { type: string; data: { id: string; author?: string; kind?: number } };
  assert.equal(nevent.type, 'nevent');
  assert.equal(nevent.data.id, result.id);
  assert.equal(nevent.data.author, dvmA.pubkey);
  assert.equal(nevent.data.kind, 6050);

  loop.page.post({ type: 'export' });
  await eventually('the export', () => actions.saved.length === 1);
  const saved = JSON.parse(actions.saved[0].text) as { format: string; events: NostrEvent[]; graph: { nodes: unknown[]; timeline: object[] } };
  assert.equal(actions.saved[0].name, exportFileName(request.id));
  assert.equal(saved.format, 'swarmscope-trace');
  assert.deepEqual(saved.events.find((event) => event.id === result.id), result, 'the signed event exactly');
  assert.ok(saved.graph.timeline.every((row) => !('event' in row)), 'the events once, not twice');
  await eventually('the notice', () => messages.some((message) => message.type === 'notice' && /Saved the trace/.test(message.message)));

  loop.page.post({ type: 'revealDvm', pubkey: dvmA.pubkey });
  loop.page.post({ type: 'openEvent', id: result.id });
  loop.page.post({ type: 'openDvmPage', pubkey: dvmA.pubkey });
  loop.page.post({ type: 'sendTestJob', requestId: request.id });
  await eventually('reveal, open, page and test job', () => actions.revealed.length === 1 && actions.opened.length === 1 && actions.pages.length === 1 && actions.testJobs.length === 1);
  assert.deepEqual([actions.pages[0], actions.testJobs[0]], [dvmA.pubkey, request.id]);
  loop.session.dispose();
});

test('an nevent carries at most three ws(s) relay hints', () => {
  const nevent = neventOf({ id: request.id, pubkey: customer.pubkey, kind: 5050, relays: ['wss://a', 'https://not-a-relay', 'ws://b', 'wss://c', 'wss://d'] });
  const data = (decode(nevent) as { data: { relays: string[] } }).data;
  assert.deepEqual(data.relays, ['wss://a', 'ws://b', 'wss://c']);
});

test('the guards refuse what the page must not act on', () => {
  assert.equal(traceProtocol.fromWebview({ type: 'openEvent', id: 'not hex' }), false);
  assert.equal(traceProtocol.fromWebview({ type: 'copy', what: 'secret', id: request.id }), false);
  assert.equal(traceProtocol.fromWebview({ type: 'revealDvm', pubkey: dvmA.pubkey }), true);
  assert.equal(traceProtocol.requests.event.params({ id: `${request.id}x` }), false);
  const empty = { askedId: request.id, requestId: request.id, truncated: false, jobs: [], nodes: [], edges: [], timeline: [], dvms: [] };
  assert.equal(isToTrace(graphMessage(empty, 1, 1)), true);
  assert.equal(isToTrace(graphMessage({ ...empty, nodes: [{ id: 'x', type: 'wizard' as 'dvm', label: '' }] }, 1, 1)), false, 'an unknown node type');
  const wire = graphMessage(empty, 1, 1).wire;
  assert.equal(isToTrace({ ...graphMessage(empty, 1, 1), wire: { ...wire, strings: [] } }), false, 'a reference past the string table');
  const badDelta = { ...empty, nodes: [{ index: -1, item: { id: 'x', type: 'dvm', label: '' } }], edges: [], timeline: [], dvms: [] };
  assert.equal(isToTrace({ type: 'delta', since: 1, version: 2, readAt: 1, wire: internJson(badDelta) }), false, 'a delta item without a place');
  assert.equal(isToTrace({ type: 'delta', since: 1, version: 2, readAt: 1, wire: internJson({ ...badDelta, nodes: [] }) }), true);
});
