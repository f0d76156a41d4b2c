import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { neventEncode } from 'nostr-tools/nip19';
import { generateSecretKey, type Event } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import type { TraceGraph } from '../../src/protocol/nostrProtocol';
import { buildChainedJob, buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { ENGINE_STORES } from '../support/engineStores';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';

/** A loopback port nothing listens on: a relay that is down. */
const DEAD_RELAY = 'ws://127.0.0.1:1';

/**
 * The trace graph through the engine protocol: a chain of sub-jobs answered by two simulated DVMs on a real relay
 * on loopback, traced from its leaf; then the same chain, and a job never collected, fetched on demand by an
 * engine that collects nothing.
 */
for (const store of ENGINE_STORES) describe(`trace graph of a chain across two simulated DVMs on ${store.kind}`, () => {
  let relay: TestRelay;
  let first: DvmSimulator;
  let second: DvmSimulator;
  let customer: RelayPublisher;
  let collecting: Engine;
  let idle: Engine;
  const customerKey = generateSecretKey();
  /** root (first DVM) ← middle (second DVM) ← leaf (first DVM): each consumes the one before. */
  const chain: Event[] = [];

  const answersOf = (request: Event) => [...first.answersTo(request.id), ...second.answersTo(request.id)];
  const chainEvents = () => chain.flatMap((request) => [request, ...answersOf(request)]);

  before(async () => {
    relay = await startRelay();
    first = await DvmSimulator.start({ relayUrl: relay.url, name: 'Echo one', amountMsats: 21_000 });
    second = await DvmSimulator.start({ relayUrl: relay.url, name: 'Echo two', amountMsats: 42_000 });
    customer = await RelayPublisher.connect(relay.url);
    collecting = await Engine.start(
      // The chain collector starts too; a dead loopback port keeps it off the network.
      { ...(await store.create()), settings: { relays: [relay.url], subtensorEndpoint: DEAD_RELAY }, collect: true },
      { notify: () => undefined, log: { log: () => undefined } },
    );
    // Collects nothing: whatever it traces, it had to fetch.
    idle = await Engine.start({ ...(await store.create()), settings: { relays: [relay.url] }, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
    await eventually('the relay collector to go live', () => {
      const collector = collecting.status().collectors.find((entry) => entry.name === relay.url);
      return collector?.state === 'connected' && !collector.detail?.includes('backfilling') ? true : undefined;
    });
    for (const dvm of [first, second, first]) {
      const previous = chain.at(-1);
      const request = previous
        ? buildChainedJob({ secretKey: customerKey, previousRequestId: previous.id, dvmPubkey: dvm.pubkey })
        : buildJobRequest({ secretKey: customerKey, input: 'start', dvmPubkey: dvm.pubkey });
      chain.push(request);
      await customer.publish(request);
      await eventually(`job ${chain.length} answered`, () => dvm.answersTo(request.id).some((event) => event.kind === 6050));
    }
  });

  after(async () => {
    customer?.close();
    await first?.stop();
    await second?.stop();
    await collecting?.dispose();
    await idle?.dispose();
    await relay?.stop();
    await store.stop();
  });

  /** The collecting engine's graph once every published event of the chain is in it. */
  const collectedGraph = (id: string) => eventually('the whole chain collected', async () => {
    const { graph } = await collecting.call('nostr.traceGraph', { id });
    return graph && graph.timeline.length === chainEvents().length ? graph : undefined;
  });

  function assertWholeChain(graph: TraceGraph): void {
    const [root, middle, leaf] = chain;
    assert.deepEqual(graph.jobs.map((job) => job.requestId), [root.id, middle.id, leaf.id], 'parents before sub-jobs');
    assert.deepEqual(new Set(graph.timeline.map((row) => row.id)), new Set(chainEvents().map((event) => event.id)), 'exactly the published events');
    const edge = (from: string, to: string, type: string) => graph.edges.some((entry) => entry.from === from && entry.to === to && entry.type === type);
    assert.ok(edge(`request:${middle.id}`, `request:${root.id}`, 'sub-job-of'));
    assert.ok(edge(`request:${leaf.id}`, `request:${middle.id}`, 'sub-job-of'));
    for (const [request, dvm, sats] of [[root, first, 21], [middle, second, 42], [leaf, first, 21]] as const) {
      const dvmNode = `dvm:${request.id}:${dvm.pubkey}`;
      assert.ok(edge(`request:${request.id}`, dvmNode, 'requested'));
      assert.ok(edge(`customer:${request.pubkey}`, `request:${request.id}`, 'requested'));
      const answers = dvm.answersTo(request.id);
      const quote = answers.find((event) => event.tags.some((tag) => tag[0] === 'status' && tag[1] === 'payment-required'));
      const result = answers.find((event) => event.kind === 6050);
      assert.ok(quote && result);
      assert.ok(edge(`feedback:${quote.id}`, dvmNode, 'feedback-for'));
      assert.ok(edge(`result:${result.id}`, dvmNode, 'result-for'));
      const invoice = graph.nodes.find((node) => node.id === `invoice:${quote.id}`);
      assert.equal(invoice?.bolt11?.amountSats, sats, 'the real invoice is decoded');
      assert.equal(invoice?.bolt11?.expirySec, 3600);
      assert.match(invoice?.bolt11?.description ?? '', /^job /);
      const summary = graph.dvms.find((entry) => entry.requestId === request.id && entry.pubkey === dvm.pubkey);
      assert.deepEqual([summary?.status, summary?.satsRequested, summary?.paymentWithoutResult, summary?.resultWithoutPayment], ['result-delivered', sats, false, false]);
      assert.equal(graph.nodes.find((node) => node.id === dvmNode)?.label, dvm === first ? 'Echo one' : 'Echo two');
    }
    // Events of one second keep the job's order: payment-required, processing, result.
    const leafRows = graph.timeline.filter((row) => row.requestId === leaf.id).map((row) => row.status ?? row.role);
    assert.deepEqual(leafRows, ['request', 'payment-required', 'processing', 'result-delivered']);
  }

  it('traces the whole chain from the leaf result, both DVMs and every answer', async () => {
    const leafResult = first.answersTo(chain[2].id).find((event) => event.kind === 6050)!;
    const graph = await collectedGraph(leafResult.id);
    assert.equal(graph.requestId, chain[2].id);
    assert.deepEqual(graph.nodes.filter((node) => node.asked).map((node) => node.id), [`result:${leafResult.id}`]);
    assertWholeChain(graph);
    // From the root, the same chain.
    const fromRoot = await collectedGraph(chain[0].id);
    assert.deepEqual(new Set(fromRoot.nodes.map((node) => node.id)), new Set(graph.nodes.map((node) => node.id)));
  });

  it('lists the chain among the recent jobs', async () => {
    const recent = await eventually('three jobs listed', async () => {
      const jobs = await collecting.call('nostr.recentJobs', { limit: 200 });
      return jobs.length >= 3 ? jobs : undefined;
    });
    const leaf = recent.find((job) => job.requestId === chain[2].id);
    assert.deepEqual([leaf?.kindName, leaf?.dvmName, leaf?.status], ['text generation', 'Echo one', 'result-delivered']);
  });

  it('fetches an event it never collected from the nevent relay hint, with its whole chain both ways, then traces it', async () => {
    // The middle job's quote: its parent is named in its request, its sub-job only found by asking who names it.
    const middleQuote = second.answersTo(chain[1].id)[0];
    const nevent = neventEncode({ id: middleQuote.id, relays: [relay.url] });
    assert.equal((await idle.call('nostr.traceGraph', { id: nevent })).graph, null, 'without `fetch` nothing is asked of any relay');
    // Configured relays off: only the hint can find it; a dead relay beside it is reported, not fatal.
    const { graph, fetched } = await idle.call('nostr.traceGraph', { id: nevent, fetch: true, relays: [DEAD_RELAY] });
    assert.ok(graph, 'found through the hint');
    assert.deepEqual(graph.nodes.filter((node) => node.asked).map((node) => node.id), [`feedback:${middleQuote.id}`]);
    assertWholeChain(graph);
    assert.equal(fetched?.accepted, chainEvents().length + 2, 'every event of the chain stored once, and both DVMs\' NIP-89 profiles');
    assert.equal(fetched?.relays.find((entry) => entry.url === relay.url)?.error, undefined);
    assert.match(fetched?.relays.find((entry) => entry.url === DEAD_RELAY)?.error ?? '', /could not connect/);
    // Stored for good: a second trace needs no fetch.
    const again = await idle.call('nostr.traceGraph', { id: middleQuote.id });
    assert.equal(again.fetched, undefined);
    assert.deepEqual(again.graph?.timeline.map((row) => row.id), graph.timeline.map((row) => row.id));
  });

  it('fetches from the configured relays when the id has no hint; an id nowhere stays untraced', async () => {
    const lone = buildJobRequest({ secretKey: customerKey, input: 'alone', dvmPubkey: second.pubkey });
    await customer.publish(lone);
    await eventually('the lone job answered', () => second.answersTo(lone.id).some((event) => event.kind === 6050));
    const { graph, fetched } = await idle.call('nostr.traceGraph', { id: lone.id, fetch: true });
    assert.deepEqual(new Set(graph?.timeline.map((row) => row.id)), new Set([lone.id, ...second.answersTo(lone.id).map((event) => event.id)]));
    assert.deepEqual(fetched?.relays.map((entry) => entry.url), [relay.url]);
    const nowhere = await idle.call('nostr.traceGraph', { id: 'e'.repeat(64), fetch: true });
    assert.equal(nowhere.graph, null);
    assert.equal(nowhere.fetched?.received, 0);
  });
});
