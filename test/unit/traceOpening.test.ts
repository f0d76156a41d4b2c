import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { OPENER_READING, tracePanel, type TraceActions, type TracePanel } from '../../src/panels/tracePanel';
import type { TraceGraph } from '../../src/protocol/nostrProtocol';
import { traceGraphOf, traceProtocol, type ToTrace } from '../../src/protocol/tracePanelProtocol';
import type { EngineRequester } from '../../src/views/engineRequester';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * A trace panel opened before the engine has said which job the asked event belongs to (TracePanels.opening: the
 * panel's page loads while the opener reads the trace). Its page is told the trace is being read, the panel reads
 * nothing itself meanwhile, and the opener's trace, of the job found, goes to the page whether it arrives before or
 * after the page says ready; the panel is then that job's.
 */

const T = 1_760_000_000;
const customer = new Actor();
const dvm = new Actor();
const request = customer.sign(5050, [['i', 'hello', 'text'], ['p', dvm.pubkey]], '', T);
const result = dvm.sign(6050, [['e', request.id], ['p', customer.pubkey]], 'hi', T + 2);

let engine: Engine;
const traceReads: string[] = [];
const requester: EngineRequester = {
  request: (method, params) => {
    if (method === 'nostr.traceGraph') traceReads.push((params as { id: string }).id);
    return engine.call(method, params);
  },
};

before(async () => {
  engine = await Engine.start({ dbPath: undefined, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
  await engine.call('nostr.ingest', { events: [request, result] });
});

after(async () => {
  await engine.dispose();
});

/** The panel as TracePanels.opening makes it for the result's id: keyed by the event, the opener reading. */
function openForEvent(): { loop: PanelLoopback<typeof traceProtocol>; messages: ToTrace[]; controllers: Map<string, TracePanel> } {
  const controllers = new Map<string, TracePanel>();
  const definition = tracePanel({ engine: requester, actions: {} as TraceActions }, controllers, new Map([[result.id, OPENER_READING]]));
  const loop = new PanelLoopback(traceProtocol, (channel) => definition.create(channel, { requestId: result.id, asked: result.id }));
  const messages: ToTrace[] = [];
  loop.page.onMessage((message) => messages.push(message));
  return { loop, messages, controllers };
}

async function openerRead(): Promise<TraceGraph> {
  const { graph } = await engine.call('nostr.traceGraph', { id: result.id, fetch: false });
  assert.ok(graph);
  return graph;
}

test('the page that loads before the trace arrives is told it is being read; the opener\'s trace then reaches it, of the job found', async () => {
  traceReads.length = 0;
  const { loop, messages, controllers } = openForEvent();
  loop.page.ready();
  await eventually('the loading message', () => messages.some((message) => message.type === 'loading'));
  await loop.settle();
  assert.deepEqual(traceReads, [], 'the panel leaves the read to its opener');

  const graph = await openerRead();
  const controller = controllers.get(result.id)!;
  controller.adopt({ requestId: graph.requestId, asked: graph.askedId }, graph);
  const shown = await eventually('the trace', () => messages.find((message) => message.type === 'graph'));
  assert.ok(shown?.type === 'graph');
  const drawn = traceGraphOf(shown);
  assert.equal(drawn.requestId, request.id);
  assert.equal(drawn.askedId, result.id);
  assert.deepEqual(drawn.timeline.map((row) => row.id).sort(), [request.id, result.id].sort());
  assert.equal(controller.requestId, request.id);
  assert.ok(controller.hasEvent(request.id) && controller.hasEvent(result.id));
  assert.deepEqual(traceReads, [], 'the panel never reads: the opener\'s read is the only one');
  loop.session.dispose();
});

test('a trace that arrives before the page says ready is sent when it does, and not read again', async () => {
  traceReads.length = 0;
  const { loop, messages, controllers } = openForEvent();
  const graph = await openerRead();
  controllers.get(result.id)!.adopt({ requestId: graph.requestId, asked: graph.askedId }, graph);
  loop.page.ready();
  const shown = await eventually('the trace', () => messages.find((message) => message.type === 'graph'));
  assert.ok(shown?.type === 'graph');
  assert.equal(traceGraphOf(shown).requestId, request.id);
  assert.ok(!messages.some((message) => message.type === 'loading'), 'a page that has the trace is not told it is being read');
  assert.deepEqual(traceReads, [], 'the panel never reads');
  loop.session.dispose();
});
