import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Engine } from '../../src/engine/engine';
import { nostrPagePanel, pageConcerns, type NostrPageActions, type NostrPagePanel } from '../../src/panels/nostrPagePanel';
import { PageHistory } from '../../src/panels/pageHistory';
import { isToPage, nostrPageProtocol, sameSubject, type PageSubject, type ToPage } from '../../src/protocol/nostrPagePanelProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { recordingRequester, startOfflineEngine } from '../support/offlineEngine';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * The DVM / kind / user page panel's host logic (src/panels/nostrPagePanel.ts) against a real in-process engine and
 * the page's real messenger: it reads the page of its subject, navigates on a link with Back / Forward, re-reads on
 * engine changes that touch the page on show (and not on others), and hands traces and Watch to VS Code's actions.
 */

const NOW = Math.floor(Date.now() / 1000) - 600;
const dvm = new Actor();
const other = new Actor();
const customer = new Actor();
const announce = dvm.sign(31990, [['d', 'x'], ['k', '5050']], JSON.stringify({ name: 'Echo <img src=x onerror=alert(1)>', about: 'test' }), NOW - 60);
const request = customer.sign(5050, [['i', 'hello', 'text'], ['p', dvm.pubkey]], '', NOW);
const processing = dvm.sign(7000, [['e', request.id], ['p', customer.pubkey], ['status', 'processing']], '', NOW + 1);
const result = dvm.sign(6050, [['e', request.id], ['p', customer.pubkey], ['request', JSON.stringify(request)]], 'hi', NOW + 3);

let engine: Engine;
const { requester, calls } = recordingRequester(() => engine);

before(async () => {
  engine = await startOfflineEngine();
  await ingest(announce, request, processing, result);
});

after(async () => {
  await engine.dispose();
});

async function ingest(...events: NostrEvent[]): Promise<void> {
  await engine.call('nostr.ingest', { events });
}

function openPanel(subject: PageSubject) {
  const traces: string[] = [];
  const watched: string[] = [];
  const actions: NostrPageActions = {
    openTrace: (requestId) => void traces.push(requestId),
    watch: async (pubkey) => {
      watched.push(pubkey);
      return 'watching';
    },
  };
  const controllers = new Set<NostrPagePanel>();
  const definition = nostrPagePanel({ engine: requester, actions }, controllers);
  const loop = new PanelLoopback(nostrPageProtocol, (channel) => definition.create(channel, subject));
  const messages: ToPage[] = [];
  loop.page.onMessage((message) => messages.push(message));
  return { loop, messages, traces, watched, controller: [...controllers][0] };
}

type PageMessage = Extract<ToPage, { type: 'page' }>;

function pages(messages: readonly ToPage[]): PageMessage[] {
  return messages.filter((message): message is PageMessage => message.type === 'page');
}

test('history: visiting drops what was ahead, the page on show is not visited twice, Back and Forward stop at the ends, bounded', () => {
  const history = new PageHistory<string>('a', (x, y) => x === y, 3);
  assert.equal(history.canBack, false);
  assert.equal(history.back(), false);
  assert.equal(history.visit('a'), false, 'the page on show');
  history.visit('b');
  history.visit('c');
  assert.equal(history.back(), true);
  assert.equal(history.current, 'b');
  assert.equal(history.canForward, true);
  history.visit('d');
  assert.equal(history.canForward, false, 'a visit drops the pages ahead');
  assert.equal(history.forward(), false);
  history.back();
  history.back();
  assert.equal(history.current, 'a');
  history.forward();
  history.forward();
  history.visit('e');
  assert.equal(history.current, 'e');
  assert.equal(history.back() && history.back(), true);
  assert.equal(history.current, 'b', 'only the newest 3 pages are kept');
  assert.equal(history.canBack, false);
});

test('the definition: one panel, restored from a valid subject only, restorable (onWebviewPanel), its page and style exist', () => {
  const definition = nostrPagePanel({ engine: requester, actions: {} as NostrPageActions }, new Set());
  const root = path.join(__dirname, '../..');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { activationEvents: string[] };
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${definition.viewType}`));
  assert.ok(fs.existsSync(path.join(root, 'webview', definition.bundle, 'main.ts')));
  for (const style of definition.styles ?? []) assert.ok(fs.existsSync(path.join(root, style)), style);
  assert.equal(definition.key({ type: 'dvm', id: dvm.pubkey }), definition.key({ type: 'kind', id: '5050' }));
  assert.deepEqual(definition.parseSubject({ type: 'kind', id: '6050' }), { type: 'kind', id: '6050' });
  for (const bad of [null, 'x', { type: 'dvm', id: 'npub1x' }, { type: 'kind', id: '70000' }, { type: 'kind', id: 5050 }, { type: 'page', id: dvm.pubkey }]) {
    assert.equal(definition.parseSubject(bad), undefined, JSON.stringify(bad));
  }
});

test('a change concerns a DVM page when it names the DVM, a kind page when it names the kind or its result kind, a user page on any job', () => {
  const change = { dvms: [other.pubkey], kinds: [5100], jobs: ['a'.repeat(64)] };
  assert.equal(pageConcerns({ type: 'dvm', id: dvm.pubkey }, change), false);
  assert.equal(pageConcerns({ type: 'dvm', id: other.pubkey }, change), true);
  assert.equal(pageConcerns({ type: 'kind', id: '5050' }, change), false);
  assert.equal(pageConcerns({ type: 'kind', id: '6100' }, change), true);
  assert.equal(pageConcerns({ type: 'kind', id: '5050' }, { ...change, kinds: [6050] }), true);
  assert.equal(pageConcerns({ type: 'user', id: customer.pubkey }, change), true);
  assert.equal(pageConcerns({ type: 'user', id: customer.pubkey }, { ...change, jobs: [] }), false);
});

test('the DVM page, a link to its kind, Back, Forward, and the user page; every message passes the guard', async () => {
  const { loop, messages, controller } = openPanel({ type: 'dvm', id: dvm.pubkey });
  loop.page.ready();
  await eventually('the DVM page', () => pages(messages).length > 0);
  const first = pages(messages)[0];
  assert.equal(first.data.type, 'dvm');
  assert.equal(first.data.type === 'dvm' && first.data.page?.pubkey, dvm.pubkey);
  assert.equal(first.data.type === 'dvm' && first.data.page?.profile.name, 'Echo <img src=x onerror=alert(1)>', 'the name arrives as the text it is');
  assert.deepEqual([first.canBack, first.canForward], [false, false]);

  loop.page.post({ type: 'open', subject: { type: 'kind', id: '6050' } });
  await eventually('the kind page', () => pages(messages).at(-1)?.data.type === 'kind');
  const kind = pages(messages).at(-1)!;
  assert.equal(kind.data.type === 'kind' && kind.data.page?.kind, 5050, 'a result kind opens its request kind');
  assert.deepEqual([kind.canBack, kind.canForward], [true, false]);
  assert.ok(messages.some((message) => message.type === 'loading' && sameSubject(message.subject, kind.subject)), 'says it is loading a new page');

  loop.page.post({ type: 'back' });
  await eventually('back on the DVM page', () => pages(messages).at(-1)?.data.type === 'dvm');
  assert.deepEqual([pages(messages).at(-1)!.canBack, pages(messages).at(-1)!.canForward], [false, true]);
  loop.page.post({ type: 'forward' });
  await eventually('forward on the kind page', () => pages(messages).at(-1)?.data.type === 'kind');

  controller.navigate({ type: 'user', id: customer.pubkey });
  await eventually('the user page', () => pages(messages).at(-1)?.data.type === 'user');
  const user = pages(messages).at(-1)!;
  assert.deepEqual(user.data.type === 'user' && user.data.page?.jobs.map((job) => job.requestId), [request.id]);
  assert.ok(messages.every(isToPage));

  loop.page.post({ type: 'open', subject: { type: 'dvm', id: other.pubkey } });
  await eventually('a DVM nobody knows', () => pages(messages).at(-1)?.subject.id === other.pubkey);
  assert.equal(pages(messages).at(-1)!.data.page, null);
  loop.session.dispose();
});

test('while visible, a change naming the DVM on show re-reads its page with the new job; a change naming another does not', async () => {
  const { loop, messages } = openPanel({ type: 'dvm', id: dvm.pubkey });
  loop.page.ready();
  await eventually('the DVM page', () => pages(messages).length > 0);
  const reads = () => calls.filter((method) => method === 'nostr.dvmPage').length;
  const before = reads();
  loop.router.route({ topic: 'nostr.changed', payload: { dvms: [other.pubkey], kinds: [5100], jobs: [] } });
  await new Promise((resolve) => setTimeout(resolve, 1_800));
  assert.equal(reads(), before, 'another DVM: no read');

  const second = customer.sign(5050, [['i', 'again', 'text'], ['p', dvm.pubkey]], '', NOW + 10);
  await ingest(second, dvm.sign(6050, [['e', second.id], ['p', customer.pubkey]], 'again', NOW + 12));
  loop.router.route({ topic: 'nostr.changed', payload: { dvms: [dvm.pubkey], kinds: [5050], jobs: [second.id] } });
  loop.router.route({ topic: 'nostr.changed', payload: { dvms: [dvm.pubkey], kinds: [5050], jobs: [second.id] } });
  await eventually('the page with the new job', () => {
    const last = pages(messages).at(-1)!;
    return last.data.type === 'dvm' && last.data.page?.recent.some((event) => event.requestId === second.id) === true;
  });
  assert.equal(reads(), before + 1, 'two changes in a row: one read (throttled)');
  loop.session.dispose();
});

test('a job link and Watch go to VS Code through the actions; a malformed message from the page is refused', async () => {
  const { loop, messages, traces, watched } = openPanel({ type: 'dvm', id: dvm.pubkey });
  loop.page.ready();
  loop.page.post({ type: 'openTrace', requestId: request.id });
  loop.page.post({ type: 'watch', pubkey: dvm.pubkey });
  loop.postFromPage({ kind: 'message', message: { type: 'openTrace', requestId: '<script>' } });
  await eventually('the notice', () => messages.some((message) => message.type === 'notice'));
  assert.deepEqual(traces, [request.id]);
  assert.deepEqual(watched, [dvm.pubkey]);
  assert.equal(loop.warnings.length, 1, loop.warnings.join('\n'));
  loop.session.dispose();
});
