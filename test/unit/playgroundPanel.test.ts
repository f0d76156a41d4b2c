import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { NostrIdentity, SECRET_KEY_ENTRY } from '../../src/identity/nostrIdentity';
import { PlaygroundPanel, type PlaygroundActions } from '../../src/panels/playgroundPanel';
import { playgroundProtocol, type PlaygroundForm } from '../../src/protocol/playgroundPanelProtocol';
import type { EngineRequester } from '../../src/views/engineRequester';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * The playground's host half against the page's Messenger (PanelLoopback) and an in-process engine: what leaves
 * through VS Code (links, wallets) is filtered here, and nothing the page receives carries the key. The full flow
 * with a relay and a DVM is the e2e test (test/e2e/playgroundPanel.test.ts).
 */

let engine: Engine;
const store = new Map<string, string>();
const identity = new NostrIdentity({ get: async (key) => store.get(key), store: async (key, value) => void store.set(key, value), delete: async (key) => void store.delete(key) });
const opened: string[] = [];
const actions: PlaygroundActions = {
  openExternal: async (uri) => void opened.push(uri),
  copy: async () => undefined,
  openTrace: () => undefined,
  configuredRelays: () => ['ws://127.0.0.1:9'],
};

before(async () => {
  engine = await Engine.start({ dbPath: undefined, settings: { relays: [], trackedSubnets: [] }, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
});

after(async () => {
  await engine.dispose();
});

function open(): PanelLoopback<typeof playgroundProtocol> {
  const requester: EngineRequester = { request: (method, params) => engine.call(method, params) };
  return new PanelLoopback(playgroundProtocol, (channel) => new PlaygroundPanel(channel, { engine: requester, identity, actions }, {}));
}

test('the page gets the npub, the registry\'s job kinds and the configured relays; never the key', async () => {
  const loopback = open();
  loopback.page.ready();
  await loopback.settle(20);
  const setup = loopback.posted.map((each) => (each as { message?: { type?: string } }).message).find((message) => message?.type === 'setup') as { npub: string; kinds: { kind: number; name: string }[]; relays: string[] } | undefined;
  assert.ok(setup, 'setup sent');
  assert.match(setup.npub, /^npub1/);
  assert.ok(setup.kinds.some((each) => each.kind === 5050 && each.name === 'text generation'));
  assert.ok(setup.kinds.every((each) => each.kind >= 5000 && each.kind <= 5999));
  assert.deepEqual(setup.relays, ['ws://127.0.0.1:9']);
  const secret = store.get(SECRET_KEY_ENTRY)!;
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(loopback.posted).includes(secret));
  loopback.session.dispose();
});

test('only web links and lightning invoices leave through VS Code; other schemes are dropped', async () => {
  const loopback = open();
  loopback.page.ready();
  opened.length = 0;
  for (const url of ['https://example.com/a.png', 'javascript:alert(1)', 'file:///etc/passwd', 'command:workbench.action.quit', 'http://x y']) loopback.page.post({ type: 'openUrl', url });
  for (const invoice of ['lnbc210n1pexample', 'lnbc1?x=javascript:', '']) loopback.page.post({ type: 'openWallet', invoice });
  await loopback.settle(20);
  assert.deepEqual(opened, ['https://example.com/a.png', 'lightning:lnbc210n1pexample']);
  loopback.session.dispose();
});

test('a form with a mistake is refused with the reason, and nothing is published', async () => {
  const loopback = open();
  loopback.page.ready();
  const form: PlaygroundForm = { kind: '5050', inputs: [{ data: 'hi', type: 'text' }], output: '', params: [], bid: 'lots', dvm: '', encrypt: false, relays: 'ws://127.0.0.1:9' };
  loopback.page.post({ type: 'publish', form });
  await loopback.settle(20);
  const types = loopback.posted.map((each) => (each as { message?: { type?: string; message?: string } }).message);
  assert.ok(types.some((message) => message?.type === 'error' && /bid "lots" is not a whole number/.test(message.message ?? '')));
  assert.ok(!types.some((message) => message?.type === 'published'));
  assert.equal(await loopback.page.request('announcement', { pubkey: 'not a key' }), null);
  loopback.session.dispose();
});
