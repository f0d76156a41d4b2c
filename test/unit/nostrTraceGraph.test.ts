import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neventEncode, noteEncode } from 'nostr-tools/nip19';
import { decodeBolt11 } from '../../src/core/nostr/bolt11Details';
import { MAX_RELAY_HINTS, parseEventReference } from '../../src/core/nostr/eventId';
import {
  TRACE_EDGE_TYPES, TRACE_NODE_TYPES, type NostrEvent, type TraceEdge, type TraceGraph, type TraceNode,
} from '../../src/protocol/nostrProtocol';
import { makeBolt11Invoice } from '../support/bolt11Invoice';
import { Actor, fixtureEvent, fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';

const T = 1_750_000_000;

/** The trace graph of `id` from a fresh core holding `events`, ingested in the order given. */
async function graphOf(events: readonly NostrEvent[], id: string, batches: 'one' | 'each' = 'one'): Promise<TraceGraph> {
  const kit = await openCore();
  try {
    if (batches === 'one') await kit.core.ingest(undefined, events);
    else for (const event of events) await kit.core.ingest(undefined, [event]);
    const graph = kit.core.traceGraph(id);
    assert.ok(graph, `a graph for ${id.slice(0, 8)}`);
    return graph;
  } finally {
    await kit.close();
  }
}

const nodeFor = (graph: TraceGraph, eventId: string, type?: TraceNode['type']) =>
  graph.nodes.find((node) => node.eventId === eventId && (type === undefined || node.type === type));
const hasEdge = (graph: TraceGraph, from: string | undefined, to: string | undefined, type: TraceEdge['type']) =>
  graph.edges.some((edge) => edge.from === from && edge.to === to && edge.type === type);
/** Node and edge sets with nothing order-dependent, to compare two graphs. */
const shape = (graph: TraceGraph) => ({
  nodes: graph.nodes.map((node) => JSON.stringify(node)).sort(),
  edges: graph.edges.map((edge) => `${edge.from} ${edge.type} ${edge.to}`).sort(),
});

/**
 * One job that uses every node and edge type: a customer asks two DVMs (and addresses a third that never answers);
 * A quotes with a real invoice (its `amount` tag disagrees), is zapped for it, processes and delivers; B fails;
 * the customer cancels; a sub-job consumes the job's output; a stranger's "deletion" does not count.
 */
function everyKindOfEvent() {
  const customer = new Actor();
  const a = new Actor();
  const b = new Actor();
  const silent = new Actor();
  const zapper = new Actor();
  const stranger = new Actor();
  const { invoice } = makeBolt11Invoice({ amountMsats: 21_000, description: 'job fee', expirySeconds: 600, timestamp: T + 1 });
  const profile = a.sign(31990, [['d', 'a'], ['k', '5050']], JSON.stringify({ name: 'Echo <b>DVM</b>' }), T - 100);
  const request = customer.sign(5050, [['i', 'hello', 'text'], ['p', a.pubkey], ['p', silent.pubkey]], '', T);
  const quote = a.sign(7000, [['e', request.id], ['status', 'payment-required'], ['amount', '30000', invoice]], '', T + 1);
  const processing = a.sign(7000, [['e', request.id], ['status', 'processing']], '', T + 1);
  const result = a.sign(6050, [['e', request.id], ['p', customer.pubkey]], 'hi', T + 1);
  const zap = zapper.sign(9735, [['e', quote.id], ['p', a.pubkey], ['bolt11', invoice], ['description', '{}']], '', T + 2);
  const error = b.sign(7000, [['e', request.id], ['status', 'error', 'out of GPUs']], '', T + 3);
  const cancel = customer.sign(5, [['e', request.id], ['k', '5050']], 'never mind', T + 4);
  const fake = stranger.sign(5, [['e', request.id]], '', T + 4);
  const child = customer.sign(5001, [['i', request.id, 'job']], '', T + 5);
  return { customer, a, b, silent, invoice, events: { profile, request, quote, processing, result, zap, error, cancel, fake, child } };
}

describe('trace graph', () => {
  it('draws every node and edge type of a job, each DVM answer grouped under its DVM', async () => {
    const { customer, a, b, silent, events } = everyKindOfEvent();
    const graph = await graphOf(Object.values(events), events.result.id);
    assert.deepEqual(new Set(graph.nodes.map((node) => node.type)), new Set(TRACE_NODE_TYPES));
    assert.deepEqual(new Set(graph.edges.map((edge) => edge.type)), new Set(TRACE_EDGE_TYPES));

    const request = nodeFor(graph, events.request.id, 'request');
    const dvmA = graph.nodes.find((node) => node.type === 'dvm' && node.pubkey === a.pubkey && node.requestId === events.request.id);
    const dvmB = graph.nodes.find((node) => node.type === 'dvm' && node.pubkey === b.pubkey);
    const waiting = graph.nodes.find((node) => node.type === 'dvm' && node.pubkey === silent.pubkey);
    const invoice = graph.nodes.find((node) => node.type === 'invoice' && node.eventId === events.quote.id);
    assert.equal(request?.status, 'cancelled');
    assert.equal(dvmA?.label, 'Echo <b>DVM</b>', 'profile names are labels as they are (the panel renders them as text)');
    assert.equal(dvmB?.status, 'cancelled', 'a cancelled job shows every DVM on it as cancelled');
    assert.ok(waiting, 'a DVM addressed by p tag that never answered is drawn');
    assert.ok(hasEdge(graph, `customer:${customer.pubkey}`, request?.id, 'requested'));
    for (const dvm of [dvmA, dvmB, waiting]) assert.ok(hasEdge(graph, request?.id, dvm?.id, 'requested'));
    assert.ok(hasEdge(graph, nodeFor(graph, events.quote.id, 'feedback')?.id, dvmA?.id, 'feedback-for'));
    assert.ok(hasEdge(graph, nodeFor(graph, events.processing.id)?.id, dvmA?.id, 'feedback-for'));
    assert.ok(hasEdge(graph, nodeFor(graph, events.error.id)?.id, dvmB?.id, 'feedback-for'));
    assert.ok(hasEdge(graph, nodeFor(graph, events.result.id)?.id, dvmA?.id, 'result-for'));
    assert.ok(hasEdge(graph, invoice?.id, nodeFor(graph, events.quote.id, 'feedback')?.id, 'invoice-of'));
    assert.ok(hasEdge(graph, invoice?.id, nodeFor(graph, events.zap.id)?.id, 'paid-by'), 'the zap pays the invoice of the feedback it zapped');
    assert.ok(hasEdge(graph, request?.id, nodeFor(graph, events.cancel.id)?.id, 'cancelled-by'));
    assert.ok(hasEdge(graph, nodeFor(graph, events.child.id)?.id, request?.id, 'sub-job-of'));
    assert.equal(nodeFor(graph, events.fake.id), undefined, "a stranger's deletion is no cancellation");
    assert.ok(graph.timeline.some((row) => row.id === events.fake.id && row.nodeId === undefined), 'but it is in the timeline');

    // Invoice: the bolt11 wins over the disagreeing tag, decoded whole.
    assert.equal(invoice?.sats, 21);
    assert.equal(invoice?.amountMismatch, true);
    assert.deepEqual({ ...invoice?.bolt11, invoice: undefined, paymentHash: undefined },
      { invoice: undefined, paymentHash: undefined, amountMsats: 21_000, amountSats: 21, createdAt: T + 1, expirySec: 600, expiresAt: T + 601, description: 'job fee' });
    assert.equal(nodeFor(graph, events.zap.id)?.sats, 21);
    // Only the asked event is marked; every edge joins two drawn nodes; ids are unique.
    assert.deepEqual(graph.nodes.filter((node) => node.asked).map((node) => node.id), [`result:${events.result.id}`]);
    const ids = new Set(graph.nodes.map((node) => node.id));
    assert.equal(ids.size, graph.nodes.length);
    for (const edge of graph.edges) assert.ok(ids.has(edge.from) && ids.has(edge.to), `${edge.from} → ${edge.to}`);
  });

  it('hangs a zap of the request itself off the DVM it paid (NIP-57 p tag)', async () => {
    const { a, invoice, events } = everyKindOfEvent();
    const zapper = new Actor();
    const ofRequest = zapper.sign(9735, [['e', events.request.id], ['p', a.pubkey], ['bolt11', invoice], ['description', '{}']], '', T + 7);
    const graph = await graphOf([events.request, events.quote, events.result, ofRequest], ofRequest.id);
    assert.ok(hasEdge(graph, `dvm:${events.request.id}:${a.pubkey}`, `zap:${ofRequest.id}`, 'paid-by'));
    assert.equal(graph.dvms.find((dvm) => dvm.pubkey === a.pubkey)?.satsProven, 21);
    assert.deepEqual(graph.nodes.filter((node) => node.asked).map((node) => node.id), [`zap:${ofRequest.id}`]);
  });

  it('summarizes each DVM: status, times, sats requested and proven, and the flags only events tell', async () => {
    const { a, b, events } = everyKindOfEvent();
    const greedy = new Actor();
    const free = new Actor();
    const request = events.request;
    const extra = [
      greedy.sign(7000, [['e', request.id], ['status', 'payment-required'], ['amount', '5000']], '', T + 2),
      free.sign(6050, [['e', request.id]], 'free answer', T + 6),
    ];
    const { cancel, fake, ...kept } = events;
    void cancel;
    void fake;
    const graph = await graphOf([...Object.values(kept), ...extra], request.id);
    const of = (pubkey: string) => graph.dvms.find((dvm) => dvm.pubkey === pubkey && dvm.requestId === request.id);
    assert.deepEqual(
      { status: of(a.pubkey)?.status, responseSec: of(a.pubkey)?.responseSec, feedbackSec: of(a.pubkey)?.feedbackSec, requested: of(a.pubkey)?.satsRequested,
        proven: of(a.pubkey)?.satsProven, mismatch: of(a.pubkey)?.amountMismatch, noResult: of(a.pubkey)?.paymentWithoutResult, unpaid: of(a.pubkey)?.resultWithoutPayment },
      { status: 'result-delivered', responseSec: 1, feedbackSec: 1, requested: 21, proven: 21, mismatch: true, noResult: false, unpaid: false });
    assert.equal(of(a.pubkey)?.name, 'Echo <b>DVM</b>');
    assert.equal(of(b.pubkey)?.status, 'error');
    assert.equal(of(b.pubkey)?.errorMessage, 'out of GPUs');
    assert.equal(of(greedy.pubkey)?.paymentWithoutResult, true);
    assert.equal(of(free.pubkey)?.resultWithoutPayment, true);
    assert.equal(of(free.pubkey)?.errorMessage, undefined);
    assert.equal(of(a.pubkey)?.nodeId, `dvm:${request.id}:${a.pubkey}`);
  });

  it('orders the timeline by time, then job stage, then arrival; gives delays, roles, names and sats', async () => {
    const { a, events } = everyKindOfEvent();
    // The DVM's three answers share one second and arrive backwards.
    const ordered = [events.profile, events.request, events.result, events.processing, events.quote, events.zap];
    const graph = await graphOf(ordered, events.request.id, 'each');
    assert.deepEqual(graph.timeline.map((row) => [row.role, row.status ?? '', row.sinceRequestSec]), [
      ['request', '', 0], ['feedback', 'payment-required', 1], ['feedback', 'processing', 1], ['result', 'result-delivered', 1], ['zap', '', 2],
    ]);
    const quote = graph.timeline.find((row) => row.id === events.quote.id);
    assert.equal(quote?.authorName, 'Echo <b>DVM</b>');
    assert.equal(quote?.pubkey, a.pubkey);
    assert.equal(quote?.amountSats, 21);
    assert.equal(quote?.nodeId, `feedback:${events.quote.id}`);
    assert.equal(quote?.requestId, events.request.id);
    assert.equal(graph.timeline.find((row) => row.role === 'zap')?.amountSats, 21);
    assert.equal(graph.timeline.filter((row) => row.asked).length, 1);
  });

  it('gives the same graph whatever order the events arrive in', async () => {
    const { events } = everyKindOfEvent();
    const all = Object.values(events);
    const inOrder = await graphOf(all, events.request.id, 'each');
    const backwards = await graphOf([...all].reverse(), events.request.id, 'each');
    assert.deepEqual(shape(backwards), shape(inOrder));
    // Only exact ties (same second, same stage: here the two deletions) may swap: arrival order breaks them.
    const steps = (graph: TraceGraph) => graph.timeline.map((row) => `${row.createdAt} ${row.role} ${row.status ?? ''}`);
    assert.deepEqual(steps(backwards), steps(inOrder));
  });

  it('follows chains both ways to any depth, siblings included, from any job of the chain', async () => {
    const customer = new Actor();
    const dvm = new Actor();
    const chain: NostrEvent[] = [customer.sign(5000, [], '', T)];
    for (let depth = 1; depth <= 6; depth++) chain.push(customer.sign(5001, [['i', chain[depth - 1].id, 'job']], '', T + depth));
    const sibling = customer.sign(5002, [['i', chain[2].id, 'job']], '', T + 10);
    const answer = dvm.sign(6001, [['e', chain[6].id]], 'leaf done', T + 11);
    const events = [...chain, sibling, answer];
    const expectedJobs = new Set([...chain, sibling].map((event) => event.id));
    for (const entry of [answer.id, chain[6].id, chain[3].id, chain[0].id, sibling.id]) {
      const graph = await graphOf(events, entry);
      assert.deepEqual(new Set(graph.jobs.map((job) => job.requestId)), expectedJobs, `from ${entry.slice(0, 8)}`);
      assert.equal(graph.requestId, entry === answer.id ? chain[6].id : entry);
      for (let depth = 1; depth <= 6; depth++) assert.ok(hasEdge(graph, `request:${chain[depth].id}`, `request:${chain[depth - 1].id}`, 'sub-job-of'));
      assert.ok(hasEdge(graph, `request:${sibling.id}`, `request:${chain[2].id}`, 'sub-job-of'));
      // Parents come before their sub-jobs.
      const position = new Map(graph.jobs.map((job, index) => [job.requestId, index]));
      for (const job of graph.jobs) for (const parent of job.parents) assert.ok(position.get(parent)! < position.get(job.requestId)!);
      assert.equal(graph.truncated, false);
    }
  });

  it('shows a result whose request is missing as an unknown request, and completes it when the request comes', async () => {
    const customer = new Actor();
    const dvm = new Actor();
    const request = customer.sign(5100, [], '', T);
    const child = customer.sign(5101, [['i', request.id, 'job']], '', T + 3);
    const result = dvm.sign(6100, [['e', request.id]], 'image', T + 2);
    const kit: CoreKit = await openCore();
    try {
      await kit.core.ingest(undefined, [result, child]);
      const before = kit.core.traceGraph(result.id);
      const unknown = before?.nodes.find((node) => node.id === `request:${request.id}`);
      assert.equal(unknown?.missing, true);
      assert.equal(unknown?.label, `unknown request ${request.id.slice(0, 8)}… (5100 image generation)`);
      assert.ok(hasEdge(before!, `result:${result.id}`, `dvm:${request.id}:${dvm.pubkey}`, 'result-for'));
      assert.ok(hasEdge(before!, `request:${request.id}`, `dvm:${request.id}:${dvm.pubkey}`, 'requested'));
      assert.ok(hasEdge(before!, `request:${child.id}`, `request:${request.id}`, 'sub-job-of'), 'a sub-job of a missing request hangs off it');
      assert.equal(before?.timeline.find((row) => row.id === result.id)?.sinceRequestSec, null);
      assert.equal(before?.jobs.find((job) => job.requestId === request.id)?.missing, true);
      // Asking by the missing request's id works too.
      assert.equal(kit.core.traceGraph(request.id)?.nodes.find((node) => node.asked)?.id, `request:${request.id}`);

      await kit.core.ingest(undefined, [request]);
      const after = kit.core.traceGraph(result.id);
      const known = after?.nodes.find((node) => node.id === `request:${request.id}`);
      assert.equal(known?.missing, undefined);
      assert.equal(known?.label, '5100 image generation');
      assert.ok(hasEdge(after!, `customer:${customer.pubkey}`, `request:${request.id}`, 'requested'));
      assert.equal(after?.timeline.find((row) => row.id === result.id)?.sinceRequestSec, 2);
    } finally {
      await kit.close();
    }
  });

  it('opens the job of any of its events and marks the one asked', async () => {
    const { events } = everyKindOfEvent();
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, Object.values(events));
      for (const [name, event, node] of [
        ['request', events.request, `request:${events.request.id}`], ['feedback', events.processing, `feedback:${events.processing.id}`],
        ["invoice's feedback", events.quote, `feedback:${events.quote.id}`], ['zap', events.zap, `zap:${events.zap.id}`],
        ['cancellation', events.cancel, `cancellation:${events.cancel.id}`],
      ] as const) {
        const graph = kit.core.traceGraph(noteEncode(event.id));
        assert.equal(graph?.requestId, events.request.id, name);
        assert.deepEqual(graph?.nodes.filter((entry) => entry.asked).map((entry) => entry.id), [node], name);
      }
      const fromSubJob = kit.core.traceGraph(events.child.id);
      assert.equal(fromSubJob?.requestId, events.child.id);
      assert.ok(fromSubJob?.jobs.some((job) => job.requestId === events.request.id), 'the sub-job opens its parent too');
      assert.equal(kit.core.traceGraph('f'.repeat(64)), null);
      assert.equal(kit.core.traceGraph('nonsense'), null);
    } finally {
      await kit.close();
    }
  });

  it('reads the real DVMDash fixtures: feedback and result, real invoices, error messages, orphans', async () => {
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, fixtureEvents());
      const job = kit.core.traceGraph(fixtureEvent('ad1ac53c').id);
      assert.deepEqual(job?.nodes.map((node) => node.type).sort(), ['customer', 'dvm', 'feedback', 'request', 'result']);
      assert.deepEqual(job?.edges.map((edge) => edge.type).sort(), ['feedback-for', 'requested', 'requested', 'result-for']);
      assert.deepEqual(job?.timeline.map((row) => [row.id.slice(0, 8), row.sinceRequestSec]), [['a53c9389', 0], ['0642fc0c', 67], ['ad1ac53c', 70]]);
      assert.equal(job?.dvms[0].resultWithoutPayment, true);

      // A real payment-required feedback with a real invoice, its request in the set.
      const quoted = kit.core.traceGraph(fixtureEvent('66c25eaa').id);
      const invoice = quoted?.nodes.find((node) => node.type === 'invoice');
      assert.equal(invoice?.sats, 1545);
      assert.equal(invoice?.bolt11?.amountMsats, 1_545_000);
      assert.ok(invoice?.bolt11?.expiresAt !== undefined && invoice.bolt11.createdAt !== undefined && invoice.bolt11.expiresAt > invoice.bolt11.createdAt);
      assert.equal(quoted?.dvms[0].paymentWithoutResult, true);
      assert.ok(hasEdge(quoted!, invoice?.id, `feedback:${fixtureEvent('66c25eaa').id}`, 'invoice-of'));

      // Real error feedback whose request is not in the set: unknown request, message kept.
      const failed = kit.core.traceGraph(fixtureEvent('56df1d45').id);
      assert.equal(failed?.nodes.find((node) => node.type === 'request')?.missing, true);
      assert.match(failed?.dvms[0].errorMessage ?? '', /^badly formatted key/);
      assert.equal(failed?.dvms[0].status, 'error');
    } finally {
      await kit.close();
    }
  });

  it('lists recent jobs newest first with kind name, the DVM that moved last, status and count', async () => {
    const { a, events } = everyKindOfEvent();
    const other = new Actor();
    const older = other.sign(5300, [], '', T - 50);
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, [...Object.values(events), older]);
      const jobs = kit.core.recentJobs();
      assert.deepEqual(jobs.map((job) => job.requestId), [events.child.id, events.request.id, older.id]);
      const main = jobs[1];
      assert.equal(main.kindName, 'text generation');
      assert.equal(main.status, 'cancelled');
      assert.equal(main.dvmCount, 2);
      assert.equal(main.dvm, events.error.pubkey, 'B moved last (its error came after A’s result)');
      assert.deepEqual([jobs[2].status, jobs[2].dvm, jobs[2].dvmCount, jobs[2].kindName], ['waiting', undefined, 0, 'content discovery']);
      assert.equal(kit.core.recentJobs(1).length, 1);
      void a;
    } finally {
      await kit.close();
    }
  });
});

describe('event references and invoices', () => {
  it('parses hex, note1 and nevent1 with relay hints (ws/wss only, at most a few)', () => {
    const id = 'ab'.repeat(32);
    assert.deepEqual(parseEventReference(id.toUpperCase()), { id, relays: [] });
    assert.deepEqual(parseEventReference(`nostr:${noteEncode(id)}`), { id, relays: [] });
    const hints = ['wss://one.example', 'http://not-a-relay.example', 'ws://127.0.0.1:7777', 'wss://one.example',
      ...Array.from({ length: 10 }, (_, i) => `wss://r${i}.example`)];
    const parsed = parseEventReference(neventEncode({ id, relays: hints }));
    assert.equal(parsed?.id, id);
    assert.deepEqual(parsed?.relays.slice(0, 3), ['wss://one.example', 'ws://127.0.0.1:7777', 'wss://r0.example']);
    assert.equal(parsed?.relays.length, MAX_RELAY_HINTS);
    assert.equal(parseEventReference('nevent1garbage'), undefined);
    assert.equal(parseEventReference('npub1xyz'), undefined);
  });

  it('decodes a real invoice, and nothing from text that is not one', () => {
    const invoice = fixtureEvent('822dda3b').tags.find((tag) => tag[0] === 'amount')?.[2] ?? '';
    assert.deepEqual(decodeBolt11(invoice), {
      invoice, amountMsats: 25_000, amountSats: 25, createdAt: 1_701_636_149, expiresAt: 1_701_636_149 + 86_400, expirySec: 86_400,
      description: 'TaskTiger Service Fee', paymentHash: '7d4f63c4a810fa5f7bf1631e955727334b41c6120f1dfd780ae09710f2dd4b2d',
    });
    assert.equal(decodeBolt11('botlab@zeuspay.com'), undefined);
    // Without an `x` field, BOLT #11 says an hour.
    const { invoice: plain } = makeBolt11Invoice({ amountMsats: 1_000, timestamp: T });
    assert.deepEqual([decodeBolt11(plain)?.expirySec, decodeBolt11(plain)?.expiresAt], [3600, T + 3600]);
  });
});
