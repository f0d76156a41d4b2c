import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { EngineConnection } from '../../src/engine/engineConnection';
import { engineSocketPath } from '../../src/engine/engineSocketPath';
import { EngineSocketServer } from '../../src/engine/engineSocketServer';
import { FrameReader, FrameTooLargeError } from '../../src/engine/socketFrames';
import type { EngineNotification, EngineOwnerInfo } from '../../src/protocol/engineProtocol';
import { eventually } from '../support/eventually';

/**
 * The owner's socket accepts only the engine protocol: every frame passes the worker port's guard; a client that sends
 * something else is refused or disconnected, and the server keeps serving everyone else. A real in-memory engine
 * answers behind it.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-socket-'));
const logs: string[] = [];
let engine: Engine;
let server: EngineSocketServer;
let owner: EngineOwnerInfo;

before(async () => {
  const socketPath = engineSocketPath(path.join(dir, 'guarded.db'));
  let broadcast: (notification: EngineNotification) => void = () => undefined;
  engine = await Engine.start(
    { dbPath: undefined, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9' }, collect: false },
    { notify: (notification) => broadcast(notification), log: { log: () => undefined } },
  );
  server = await EngineSocketServer.listen({
    socketPath,
    handle: (method, params) => engine.call(method, params as never),
    log: { log: (level, message) => logs.push(`${level}: ${message}`) },
  });
  broadcast = (notification) => server.broadcast(notification);
  owner = { id: 'x', pid: process.pid, startedAt: Date.now(), socketPath, label: 'the test' };
});

after(async () => {
  await server.close();
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A raw connection: what it receives, and whether the server closed it. */
async function rawClient() {
  const socket = net.createConnection(owner.socketPath);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: unknown[] = [];
  const reader = new FrameReader();
  let closed = false;
  socket.on('data', (chunk: Buffer) => received.push(...reader.push(chunk).map((frame) => (frame.ok ? frame.value : frame.error))));
  socket.on('close', () => (closed = true));
  return { socket, received, isClosed: () => closed };
}

async function statusAnswers(): Promise<boolean> {
  const connection = await EngineConnection.connect(owner, { onNotification: () => undefined, log: { log: () => undefined } });
  try {
    return (await connection.request('engine.status', {})).state === 'ready';
  } finally {
    connection.close();
  }
}

test('the socket lives in a folder only this user can enter, and the socket file is private too', () => {
  assert.equal(fs.statSync(path.dirname(owner.socketPath)).mode & 0o777, 0o700);
  assert.equal(fs.statSync(owner.socketPath).mode & 0o077, 0);
});

test('a frame that is not JSON gets its sender disconnected; the server keeps serving others', async () => {
  const client = await rawClient();
  client.socket.write('this is not json\n');
  await eventually('the server to close the connection', () => client.isClosed());
  assert.deepEqual(client.received, []);
  assert.ok(logs.some((line) => /disconnected a client: it sent a frame that is not JSON/.test(line)));
  assert.equal(await statusAnswers(), true);
});

test('a request for an unknown method is refused by id, and the connection stays usable', async () => {
  const client = await rawClient();
  client.socket.write(`${JSON.stringify({ type: 'request', id: 7, method: 'engine.dropTables', params: {} })}\n`);
  await eventually('the refusal', () => client.received.length === 1);
  assert.deepEqual(client.received[0], { type: 'response', id: 7, ok: false, error: 'refused: "engine.dropTables" is not an engine method' });
  client.socket.write(`${JSON.stringify({ type: 'request', id: 8, method: 'engine.pins', params: {} })}\n`);
  await eventually('the answer', () => client.received.length === 2);
  assert.deepEqual(client.received[1], { type: 'response', id: 8, ok: true, result: [] });
  assert.equal(client.isClosed(), false);
  client.socket.destroy();
});

test('a client may not start or stop the owner\'s engine', async () => {
  const client = await rawClient();
  client.socket.write(`${JSON.stringify({ type: 'request', id: 1, method: 'engine.stop', params: {} })}\n`);
  await eventually('the refusal', () => client.received.length === 1);
  assert.deepEqual(client.received[0], { type: 'response', id: 1, ok: false, error: "refused: engine.stop is for the engine's owner only" });
  client.socket.destroy();
  assert.equal(await statusAnswers(), true, 'the engine still runs');
});

test('JSON that is not a request (no id) gets its sender disconnected', async () => {
  const client = await rawClient();
  client.socket.write(`${JSON.stringify({ type: 'request', method: 'engine.status', params: {} })}\n`);
  await eventually('the server to close the connection', () => client.isClosed());
  assert.equal(await statusAnswers(), true);
});

test('notifications reach every client: a pin made by one client is heard by another', async () => {
  const heard: EngineNotification[] = [];
  const listener = await EngineConnection.connect(owner, { onNotification: (n) => heard.push(n), log: { log: () => undefined } });
  const writer = await EngineConnection.connect(owner, { onNotification: () => undefined, log: { log: () => undefined } });
  await writer.request('engine.pin', { domain: 'dvm', key: 'e'.repeat(64), pinned: true });
  await eventually('the pin notification', () => heard.some((n) => n.topic === 'engine.pinsChanged' && n.payload.key === 'e'.repeat(64)));
  listener.close();
  writer.close();
});

test('frames: split across chunks, several in one chunk, and a frame past the size limit is refused', () => {
  const reader = new FrameReader(64);
  assert.deepEqual(reader.push(Buffer.from('{"a":')), []);
  assert.deepEqual(reader.push(Buffer.from('1}\n{"b":2}\n{"c"')).map((frame) => frame.ok && frame.value), [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(reader.push(Buffer.from(':3}\n')).map((frame) => frame.ok && frame.value), [{ c: 3 }]);
  assert.throws(() => reader.push(Buffer.alloc(65, 0x20)), FrameTooLargeError);
});
