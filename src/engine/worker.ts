import { parentPort } from 'node:worker_threads';
import { describeError } from '../core/util/errors';
import {
  isHostToEngine, type EngineNotification, type EngineStartParams, type EngineStartResult, type EngineToHost,
} from '../protocol/engineProtocol';
import { openEngine, type OpenedEngine } from './ownedEngine';

/**
 * The engine's thread. sql.js, signature checks and SCALE decoding are synchronous; here they cannot block the
 * extension host, which every other extension shares. Speaks only the engine protocol over `parentPort`.
 *
 * `engine.start` opens the database's engine only if no other live process owns it (then this worker also serves
 * it to other windows over the database's socket); otherwise it answers with the owner, and the host becomes that
 * owner's client and ends this worker.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts must run inside a worker thread');

let starting: Promise<OpenedEngine> | undefined;

const post = (message: EngineToHost) => port.postMessage(message);
const notify = (notification: EngineNotification) => post({ type: 'notification', notification });
const log = { log: (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => notify({ topic: 'engine.log', payload: { level, message } }) };

async function ownedEngine(method: string) {
  const opened = starting ? await starting : undefined;
  if (!opened) throw new Error(`the engine is not started; ${method} must follow engine.start`);
  if (opened.role !== 'owner') throw new Error(`this worker runs no engine (the engine in ${opened.owner.label} owns the database)`);
  return opened.engine;
}

port.on('message', async (message: unknown) => {
  if (!isHostToEngine(message)) {
    log.log('error', `engine worker dropped a malformed message: ${describeError(message).slice(0, 200)}`);
    return;
  }
  try {
    let result: unknown;
    if (message.method === 'engine.start') {
      if (starting) throw new Error('the engine is already started');
      starting = openEngine(message.params as EngineStartParams, { notify, log });
      const opened = await starting;
      result = (opened.role === 'owner'
        ? { role: 'owner', status: opened.engine.engine.status(), owner: opened.engine.owner }
        : { role: 'client', owner: opened.owner }) satisfies EngineStartResult;
    } else if (message.method === 'engine.stop') {
      await (await ownedEngine(message.method)).close();
      result = { ok: true };
    } else {
      result = await (await ownedEngine(message.method)).engine.call(message.method, message.params as never);
    }
    post({ type: 'response', id: message.id, ok: true, result });
    if (message.method === 'engine.stop') setImmediate(() => process.exit(0));
  } catch (error) {
    post({ type: 'response', id: message.id, ok: false, error: describeError(error) });
  }
});
