import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Backoff } from '../../src/core/util/backoff';
import { EngineClient } from '../../src/engine/engineClient';
import { lockPathFor, readEngineLock } from '../../src/engine/engineLock';
import { EngineSession } from '../../src/engine/engineSession';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { startOwnerProcess } from '../support/engineOwnerProcess';
import { eventually } from '../support/eventually';
import { makeReadOnly } from '../support/readOnlyFolder';
import { engineWorkerPath } from '../support/paths';

/**
 * Issue 15: one engine per database file. Two hosts (as two VS Code windows of one profile would) on one database:
 * the first runs the engine in its worker, the second is its client over the database's socket; when the owner goes
 * away (stopped, crashed, or its process killed), a client takes the database over. Real workers, real sockets, a
 * real second process.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-sharing-'));
const running: EngineClient[] = [];
after(async () => {
  await Promise.all(running.map((client) => client.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const offline = { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9', trackedSubnets: [] };
const DVM = 'd'.repeat(64);

function host(dbPath: string, label: string) {
  const logs: string[] = [];
  const notifications: EngineNotification[] = [];
  const client = new EngineClient({
    workerPath: engineWorkerPath(),
    startParams: () => ({ dbPath, settings: offline, collect: false, debugMethods: true, ownerLabel: label }),
    log: { log: (level, message) => logs.push(`${level}: ${message}`) },
    onNotification: (notification) => notifications.push(notification),
    backoff: new Backoff(50, 200),
    handOverJitterMs: 100,
  });
  running.push(client);
  return { client, logs, notifications };
}

test('a second host on one database is a client of the first: one engine, its answers and its notifications', async () => {
  const dbPath = path.join(dir, 'shared.db');
  const a = host(dbPath, 'window A');
  const b = host(dbPath, 'window B');
  await a.client.start();
  const status = await b.client.start();
  assert.equal(a.client.role, 'owner');
  assert.equal(b.client.role, 'client');
  assert.equal(b.client.owner?.label, 'window A');
  assert.equal(status.dbPath, dbPath, 'the client reads the owner\'s engine status');
  assert.equal(readEngineLock(lockPathFor(dbPath)) !== 'missing', true);

  // A watch made through the client is the owner's, and both hosts hear of it.
  await b.client.request('engine.pin', { domain: 'dvm', key: DVM, label: 'made in B', pinned: true });
  assert.deepEqual((await a.client.request('engine.pins', {})).map((pin) => pin.label), ['made in B']);
  for (const side of [a, b]) {
    await eventually('the pin notification', () => side.notifications.some((n) => n.topic === 'engine.pinsChanged' && n.payload.key === DVM));
  }
  await a.client.stop();
  await b.client.stop();
});

test('when the owner stops, its client takes the database over and keeps what the owner acknowledged', async () => {
  const dbPath = path.join(dir, 'handover.db');
  const a = host(dbPath, 'window A');
  const b = host(dbPath, 'window B');
  await a.client.start();
  await b.client.start();
  await b.client.request('engine.pin', { domain: 'dvm', key: DVM, label: 'kept', pinned: true });

  await a.client.stop();
  await eventually('B to own the database', () => b.client.role === 'owner' && b.client.state === 'ready');
  assert.equal(b.client.handOvers, 1);
  const lock = readEngineLock(lockPathFor(dbPath));
  assert.ok(lock !== 'missing' && lock !== 'unreadable' && lock.label === 'window B', 'the lock names the new owner');
  assert.deepEqual((await b.client.request('engine.pins', {})).map((pin) => pin.label), ['kept']);

  // A window opened now joins the new owner.
  const c = host(dbPath, 'window C');
  await c.client.start();
  assert.equal(c.client.role, 'client');
  assert.equal(c.client.owner?.label, 'window B');
  await c.client.stop();
  await b.client.stop();
  assert.equal(readEngineLock(lockPathFor(dbPath)), 'missing', 'the last owner released the lock');
});

test('an owner whose worker crashes lets go of the lock: afterwards exactly one of the two hosts owns the database', async () => {
  const dbPath = path.join(dir, 'crash.db');
  const a = host(dbPath, 'window A');
  const b = host(dbPath, 'window B');
  await a.client.start();
  await b.client.start();
  await b.client.request('engine.pin', { domain: 'dvm', key: DVM, label: 'before the crash', pinned: true });
  await a.client.request('engine.flush', {});
  await assert.rejects(a.client.request('engine.debugCrash', {}), /engine worker exited/);
  await eventually('both hosts ready again', () => a.client.state === 'ready' && b.client.state === 'ready' && b.client.handOvers === 1);
  assert.deepEqual([a.client.role, b.client.role].sort(), ['client', 'owner'], 'one owner, one client');
  for (const side of [a, b]) {
    assert.deepEqual((await side.client.request('engine.pins', {})).map((pin) => pin.label), ['before the crash']);
  }
  await a.client.stop();
  await b.client.stop();
});

test('a stale lock (its process killed with SIGKILL) is taken over, and the log says so', async () => {
  const dbPath = path.join(dir, 'stale.db');
  const other = await startOwnerProcess(dbPath, 'swarmscope collect');
  assert.equal(other.role, 'owner');
  const b = host(dbPath, 'window B');
  await b.client.start();
  assert.equal(b.client.role, 'client', 'the other process owns the database');
  assert.equal(b.client.owner?.pid, other.pid);

  await other.kill();
  await eventually('B to take the database over', () => b.client.role === 'owner' && b.client.state === 'ready');
  assert.ok(
    b.logs.some((line) => /took over the lock of swarmscope collect \(pid \d+\), whose process is gone/.test(line)),
    `the takeover is logged; log: ${JSON.stringify(b.logs)}`,
  );
  assert.equal((await b.client.request('engine.status', {})).state, 'ready');
  await b.client.stop();
});

test('a request the owner could not answer before it let go of the database is sent again to the next owner', async () => {
  const dbPath = path.join(dir, 'resend.db');
  const quiet = { notify: () => undefined, log: { log: () => undefined } };
  const params = { dbPath, settings: offline, collect: false };
  const first = await EngineSession.open({ ...params, ownerLabel: 'swarmscope ingest (first)' }, quiet);
  const second = await EngineSession.open({ ...params, ownerLabel: 'swarmscope ingest (second)' }, quiet);
  assert.ok(first.owned && !second.owned, 'the first owns the database, the second is its client');
  const customer = new Actor();
  const events = Array.from({ length: 5 }, (_, i) => customer.sign(5050, [['i', `resend ${i}`, 'text']]));

  // The owner starts to let go (it stops taking requests at once), then the client asks.
  const closing = first.session.close();
  const answer = await second.session.call('nostr.ingest', { events });
  await closing;
  assert.equal(answer.accepted, 5, 'answered by the next owner: the client itself, once the lock was free');
  const lock = readEngineLock(lockPathFor(dbPath));
  assert.ok(lock !== 'missing' && lock !== 'unreadable' && lock.label === 'swarmscope ingest (second)');
  await second.session.close();

  const check = await EngineSession.open(params, quiet);
  assert.equal((await check.session.call('nostr.metrics', {})).requests, 5);
  await check.session.close();
});

test('a database in a read-only folder (where no lock can be made, and so no writer can exist) is still read', async () => {
  const folder = path.join(dir, 'read-only');
  fs.mkdirSync(folder);
  const dbPath = path.join(folder, 'kept.db');
  const quiet = { notify: () => undefined, log: { log: () => undefined } };
  const writer = await EngineSession.open({ dbPath, settings: offline, collect: false }, quiet);
  await writer.session.call('engine.pin', { domain: 'dvm', key: DVM, label: 'kept', pinned: true });
  await writer.session.close();
  const undo = makeReadOnly(folder);
  try {
    const logs: string[] = [];
    const reader = await EngineSession.open({ dbPath, settings: offline, collect: false }, { ...quiet, log: { log: (level, message) => logs.push(`${level}: ${message}`) } });
    assert.ok(reader.owned, 'an unshared engine of its own');
    assert.deepEqual((await reader.session.call('engine.pins', {})).map((pin) => pin.label), ['kept']);
    assert.ok(logs.some((line) => /read-only folder: this engine runs unshared/.test(line)), JSON.stringify(logs));
    await reader.session.close();
  } finally {
    undo();
  }
});
