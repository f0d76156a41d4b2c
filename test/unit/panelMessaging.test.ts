import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PanelController } from '../../src/panels/panelSession';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { isRecord, type PanelProtocol, type RequestSpec } from '../../src/protocol/webviewPanelProtocol';
import { weightsProtocol } from '../../src/protocol/weightsPanelProtocol';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * The panel host's protocol logic (src/panels/panelSession.ts) against the page's real messenger
 * (webview/common/messenger.ts), joined by structured-clone postMessage: the ready handshake and state replay,
 * requests with ids answered by a result or an error, guards on arrival both ways, pages that go away, and engine
 * notifications only while the panel is visible.
 */

type ToCounter = { readonly type: 'count'; readonly value: number } | { readonly type: 'note'; readonly text: string };
type FromCounter = { readonly type: 'bump' };
interface CounterRequests {
  readonly double: RequestSpec<{ readonly n: number }, number>;
  readonly fail: RequestSpec<Record<string, never>, number>;
  readonly slow: RequestSpec<Record<string, never>, number>;
  /** Its handler answers a string where the protocol promises a number. */
  readonly lie: RequestSpec<Record<string, never>, number>;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isEmpty = (value: unknown): value is Record<string, never> => isRecord(value) && Object.keys(value).length === 0;

const counterProtocol: PanelProtocol<ToCounter, FromCounter, CounterRequests> = {
  toWebview: (value): value is ToCounter => isRecord(value) && ((value.type === 'count' && Number.isSafeInteger(value.value)) || (value.type === 'note' && typeof value.text === 'string')),
  fromWebview: (value): value is FromCounter => isRecord(value) && value.type === 'bump',
  requests: {
    double: { params: (value): value is { n: number } => isRecord(value) && isNumber(value.n), result: isNumber },
    fail: { params: isEmpty, result: isNumber },
    slow: { params: isEmpty, result: isNumber },
    lie: { params: isEmpty, result: isNumber },
  },
};

/** A small panel: a counter as its state, bumped by the page, with requests, and what happened, in order. */
class Counter implements PanelController<typeof counterProtocol> {
  count = 0;
  readonly readies: boolean[] = [];
  releaseSlow: ((value: number) => void) | undefined;
  readonly requests = {
    double: ({ n }: { n: number }) => n * 2,
    fail: (): number => {
      throw new Error('the engine is stopped');
    },
    slow: () => new Promise<number>((resolve) => (this.releaseSlow = resolve)),
    lie: () => 'forty-two' as unknown as number,
  };

  constructor(private readonly channel: { setState(message: ToCounter): void; post(message: ToCounter): void }) {}

  ready(replayed: boolean): void {
    this.readies.push(replayed);
  }

  received(): void {
    this.count++;
    this.channel.setState({ type: 'count', value: this.count });
  }
}

function counterPanel(options: { visible?: boolean; requestTimeoutMs?: number } = {}): { loop: PanelLoopback<typeof counterProtocol>; counter: Counter } {
  let counter: Counter | undefined;
  const loop = new PanelLoopback(counterProtocol, (channel) => (counter = new Counter(channel)), options);
  return { loop, counter: counter! };
}

function received(loop: PanelLoopback<typeof counterProtocol>): ToCounter[] {
  const messages: ToCounter[] = [];
  loop.page.onMessage((message) => messages.push(message));
  return messages;
}

test('nothing reaches a page before it says ready; then the last state is replayed, once', async () => {
  const { loop, counter } = counterPanel();
  const messages = received(loop);
  loop.session.post({ type: 'note', text: 'before ready' });
  loop.session.setState({ type: 'count', value: 1 });
  loop.session.setState({ type: 'count', value: 2 });
  await loop.settle();
  assert.deepEqual(loop.posted, [], 'the host posted nothing to a page that had not said ready');
  assert.equal(loop.session.ready, false);

  loop.page.ready();
  await loop.settle();
  assert.deepEqual(messages, [{ type: 'count', value: 2 }], 'only the newest state, not the superseded one or the transient note');
  assert.deepEqual(counter.readies, [true], 'the panel learns that a state was replayed');

  loop.session.post({ type: 'note', text: 'while ready' });
  await loop.settle();
  assert.deepEqual(messages.at(-1), { type: 'note', text: 'while ready' });
});

test('a page that loads with no state yet is told so (the panel then loads its data)', async () => {
  const { loop, counter } = counterPanel();
  loop.page.ready();
  await loop.settle();
  assert.deepEqual(counter.readies, [false]);
  assert.deepEqual(loop.posted, []);
});

test('messages from the page reach the panel; its new state goes back to the page', async () => {
  const { loop, counter } = counterPanel();
  const messages = received(loop);
  loop.page.ready();
  loop.page.post({ type: 'bump' });
  loop.page.post({ type: 'bump' });
  await loop.settle();
  assert.equal(counter.count, 2);
  assert.deepEqual(messages, [{ type: 'count', value: 1 }, { type: 'count', value: 2 }]);
});

test('a request gets its own result by id, even when answers come back out of order', async () => {
  const { loop, counter } = counterPanel();
  loop.page.ready();
  const slow = loop.page.request('slow', {});
  const doubled = await Promise.all([loop.page.request('double', { n: 21 }), loop.page.request('double', { n: 5 })]);
  assert.deepEqual(doubled, [42, 10]);
  assert.equal(loop.page.waiting, 1, 'the slow request is still waiting');
  counter.releaseSlow!(7);
  assert.equal(await slow, 7);
  assert.equal(loop.page.waiting, 0);
});

test('a handler that throws answers with an error reply, which rejects the request with its message', async () => {
  const { loop } = counterPanel();
  loop.page.ready();
  await assert.rejects(loop.page.request('fail', {}), /the engine is stopped/);
});

test('a request the protocol does not allow is refused with an error reply at once, not left to time out', async () => {
  const { loop } = counterPanel({ requestTimeoutMs: 60_000 });
  loop.page.ready();
  await loop.settle();
  // Bad params: the typed messenger would not send these, a broken page could.
  const badParams = loop.page.request('double', { n: 'twenty-one' } as unknown as { n: number });
  await assert.rejects(badParams, /refused: malformed params for double/);
  // An unknown method, posted raw with an id the page is not waiting for: refused, logged, nothing breaks.
  loop.postFromPage({ kind: 'request', id: 99, method: 'dropTables', params: {} });
  await loop.settle();
  assert.ok(loop.posted.some((message) => isRecord(message) && message.kind === 'response' && message.id === 99 && message.ok === false));
  assert.ok(loop.warnings.some((warning) => /unknown request "dropTables"/.test(warning)), loop.warnings.join('\n'));
  assert.equal(loop.page.waiting, 0);
});

test('a result that fails its guard rejects the request and is reported as refused', async () => {
  const { loop } = counterPanel();
  const refusals: string[] = [];
  loop.page.onRefused((refusal) => refusals.push(refusal.reason));
  loop.page.ready();
  await assert.rejects(loop.page.request('lie', {}), /lie: refused a malformed result/);
  assert.deepEqual(refusals, ['a malformed result for lie']);
});

test('a request with no answer times out with an error naming it', async () => {
  const { loop } = counterPanel({ requestTimeoutMs: 30 });
  loop.page.ready();
  await assert.rejects(loop.page.request('slow', {}), /slow: no answer from the extension within 30 ms/);
  assert.equal(loop.page.waiting, 0);
});

test('malformed messages are refused on both sides and never reach the panel or the page', async () => {
  const { loop, counter } = counterPanel();
  const messages = received(loop);
  const refusals: { reason: string; messageType?: string }[] = [];
  loop.page.onRefused((refusal) => refusals.push(refusal));
  loop.page.ready();
  await loop.settle();

  for (const value of [null, 'bump', [], { kind: 'message', message: { type: 'Bump' } }, { type: 'bump' }, { kind: 'request', id: 0, method: 'double', params: { n: 1 } }]) {
    loop.postFromPage(value);
  }
  await loop.settle();
  assert.equal(counter.count, 0);
  assert.equal(loop.warnings.length, 6, loop.warnings.join('\n'));

  loop.session.setState({ type: 'count', value: 1.5 } as unknown as ToCounter);
  loop.session.post({ type: 'script', text: '<img src=x onerror=alert(1)>' } as unknown as ToCounter);
  await loop.settle();
  assert.deepEqual(messages, [], 'nothing malformed was handed to the page');
  assert.deepEqual(refusals.map((refusal) => refusal.messageType), ['count', 'script']);
});

test('a real panel protocol guards on arrival: a weights matrix with a bad row is refused, named by its type', async () => {
  const loop = new PanelLoopback(weightsProtocol, () => ({ requests: {} as never })); // only its guards are used here
  const shown: string[] = [];
  const refused: (string | undefined)[] = [];
  loop.page.onMessage((message) => shown.push(message.type));
  loop.page.onRefused((refusal) => refused.push(refusal.messageType));
  loop.page.ready();
  await loop.settle();
  loop.session.setState({ type: 'loading', netuid: 1 });
  const matrix = { netuid: 1, block: 10, targets: [0], rows: [{ uid: 'zero', hotkey: null, stake: null, validatorPermit: null, lastUpdate: null, weights: [] }], agreement: { uids: [], cosine: [], withConsensus: [], nearDuplicates: [] } };
  loop.session.setState({ type: 'matrix', matrix, readAt: 1 } as never);
  await loop.settle();
  assert.deepEqual(shown, ['loading']);
  assert.deepEqual(refused, ['matrix']);
});

test('an answer computed for a page that has gone is dropped, never delivered to the page that replaced it', async () => {
  const { loop, counter } = counterPanel({ requestTimeoutMs: 60_000 });
  loop.page.ready();
  const first = loop.page.request('slow', {});
  first.catch(() => undefined);
  await loop.settle();
  const release = counter.releaseSlow!;

  // Hidden and shown again: the old page is destroyed and a new one asks its own first request, with the same id.
  loop.session.setVisible(false);
  loop.session.setVisible(true);
  const page = loop.reloadPage();
  page.ready();
  const second = page.request('slow', {});
  await loop.settle();
  release(1);
  await loop.settle();
  assert.equal(page.waiting, 1, 'the old page\'s answer (id 1) did not settle the new page\'s request 1');
  counter.releaseSlow!(2);
  assert.equal(await second, 2);
  await assert.rejects(first, /the page is closing/);
});

test('a hidden panel stops listening to the engine, and when shown learns once that it missed notifications', async () => {
  const changed: EngineNotification[] = [];
  let missed = 0;
  const loop = new PanelLoopback(counterProtocol, (channel) => {
    channel.follow(['nostr.changed'], { changed: (notification) => changed.push(notification), missed: () => missed++ });
    return { requests: counterRequestsUnused };
  });
  const nostrChanged = (kinds: number[]): EngineNotification => ({ topic: 'nostr.changed', payload: { dvms: [], kinds } } as unknown as EngineNotification);
  loop.router.route(nostrChanged([5050]));
  loop.router.route({ topic: 'bittensor.changed', payload: { netuids: [1] } });
  assert.equal(changed.length, 1, 'visible: the followed topic arrives, the other does not');

  loop.session.setVisible(false);
  assert.equal(loop.router.listenerCount('nostr.changed'), 0, 'hidden: not listening at all');
  loop.session.setVisible(true);
  assert.equal(missed, 0, 'nothing came while hidden: nothing to catch up');

  loop.session.setVisible(false);
  loop.router.route(nostrChanged([5100]));
  loop.router.route(nostrChanged([5300]));
  assert.equal(changed.length, 1, 'hidden: no work done');
  loop.session.setVisible(true);
  assert.equal(missed, 1, 'shown again: one catch-up for everything missed');
  assert.equal(loop.router.listenerCount('nostr.changed'), 1);
  loop.router.route(nostrChanged([5050]));
  assert.equal(changed.length, 2);

  loop.session.dispose();
  assert.equal(loop.router.listenerCount('nostr.changed'), 0, 'a closed panel leaves nothing behind');
});

const counterRequestsUnused = {
  double: () => 0,
  fail: () => 0,
  slow: () => 0,
  lie: () => 0,
};
