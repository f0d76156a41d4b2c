import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { Backoff } from '../../src/core/util/backoff';
import { EngineClient, type EngineClientState } from '../../src/engine/engineClient';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { engineWorkerPath } from '../support/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-worker-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Loopback-only settings: no relay, and a chain endpoint on a closed local port, so nothing leaves the machine.
const offline = { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9', trackedSubnets: [] };

function makeClient(dbPath: string, settings: Record<string, unknown> = offline, debugMethods = true) {
  const logs: string[] = [];
  const states: EngineClientState[] = [];
  const notifications: EngineNotification[] = [];
  const client = new EngineClient({
    workerPath: engineWorkerPath(),
    startParams: () => ({ dbPath, settings, collect: false, debugMethods }),
    log: { log: (level, message) => logs.push(`${level}: ${message}`) },
    onNotification: (notification) => notifications.push(notification),
    onStateChange: (state) => states.push(state),
    backoff: new Backoff(50, 200),
  });
  return { client, logs, states, notifications };
}

test('the engine starts in a worker, answers requests and flushes on stop', async () => {
  const dbPath = path.join(dir, 'start.db');
  const { client, states } = makeClient(dbPath);
  const status = await client.start();
  assert.equal(status.state, 'ready');
  assert.equal(status.dbPath, dbPath);
  await client.request('engine.pin', { domain: 'dvm', key: 'f'.repeat(64), label: 'mine', pinned: true });
  await client.stop();
  assert.deepEqual(states, ['starting', 'ready', 'stopped']);
  // The pin reached the disk through the stop-time flush: a second engine on the same file sees it.
  const second = makeClient(dbPath).client;
  await second.start();
  const pins = await second.request('engine.pins', {});
  assert.deepEqual(pins.map((pin) => pin.label), ['mine']);
  await second.stop();
});

test('the debug methods answer only when the start params ask for them', async () => {
  const { client } = makeClient(path.join(dir, 'no-debug.db'), offline, false);
  await client.start();
  await assert.rejects(client.request('engine.debugCrash', {}), /unknown engine method engine\.debugCrash/);
  await assert.rejects(client.request('engine.debugFill', { megabytes: 1 }), /unknown engine method engine\.debugFill/);
  assert.equal((await client.request('engine.status', {})).state, 'ready');
  assert.equal(client.restarts, 0);
  await client.stop();
});

test('a crashed worker is reported, pending requests fail clearly, and it restarts', async () => {
  const { client, logs, states } = makeClient(path.join(dir, 'crash.db'));
  await client.start();
  await assert.rejects(client.request('engine.debugCrash', {}), /engine worker exited/);
  assert.ok(states.includes('crashed'));
  assert.ok(logs.some((line) => /stopped unexpectedly/.test(line)), 'the crash is logged');
  // A request made while the worker is down waits for the new worker.
  const status = await client.request('engine.status', {});
  assert.equal(status.state, 'ready');
  assert.equal(client.restarts, 1);
  assert.equal(states[states.length - 1], 'ready');
  await client.stop();
});

test('bad settings are named and the engine keeps running', async () => {
  const { client } = makeClient(path.join(dir, 'settings.db'), { ...offline, relays: ['http://not-a-relay'], rawWindowHours: -1 });
  const status = await client.start();
  assert.deepEqual(status.settingErrors.map((error) => error.key).sort(), ['swarmscope.nostr.relays', 'swarmscope.storage.rawWindowHours']);
  const { errors } = await client.request('engine.configure', { settings: { ...offline, sizeBudgetMB: 'lots' } });
  assert.deepEqual(errors.map((error) => error.key), ['swarmscope.storage.sizeBudgetMB']);
  assert.equal((await client.request('engine.status', {})).state, 'ready');
  await client.stop();
});

test('an unreadable Swarmscope database is moved aside and reported through the worker', async () => {
  const dbPath = path.join(dir, 'garbage.db');
  // Ours (its header says so) but damaged past the schema page: only such a file is moved aside; a file that is not
  // ours is refused and left alone (storeFileRecognition.test.ts).
  const { store } = await Store.open({ path: dbPath, migrations: coreMigrations });
  for (let i = 0; i < 200; i++) store.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [`key ${i}`, 'v'.repeat(200)]);
  await store.flush();
  await store.close();
  const bytes = fs.readFileSync(dbPath);
  assert.ok(bytes.length > 8192, 'data pages to damage');
  bytes.fill(0xab, 4096);
  fs.writeFileSync(dbPath, bytes);
  const { client } = makeClient(dbPath);
  const status = await client.start();
  assert.equal(status.state, 'ready');
  assert.equal(status.notices.length, 1);
  assert.match(status.notices[0], /moved to .*garbage\.db\.corrupt-/);
  await client.stop();
});

test('a request to a stopped engine is refused with a clear message', async () => {
  const { client } = makeClient(path.join(dir, 'stopped.db'));
  await client.start();
  await client.stop();
  await assert.rejects(client.request('engine.status', {}), /the engine is stopped/);
});
