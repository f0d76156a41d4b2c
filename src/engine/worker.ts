import { parentPort } from 'node:worker_threads';
import { describeError } from '../core/util/errors';
import { isHostToEngine, type EngineNotification, type EngineStartParams, type EngineToHost } from '../protocol/engineProtocol';
import { Engine } from './engine';

/**
 * The engine's thread. sql.js, signature checks and SCALE decoding are synchronous; here they cannot block the
 * extension host, which every other extension shares. Speaks only the engine protocol over `parentPort`.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts must run inside a worker thread');

let engine: Engine | undefined;
let starting: Promise<Engine> | undefined;

const post = (message: EngineToHost) => port.postMessage(message);
const notify = (notification: EngineNotification) => post({ type: 'notification', notification });
const log = { log: (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => notify({ topic: 'engine.log', payload: { level, message } }) };

port.on('message', async (message: unknown) => {
  if (!isHostToEngine(message)) {
    log.log('error', `engine worker dropped a malformed message: ${describeError(message).slice(0, 200)}`);
    return;
  }
  try {
    let result: unknown;
    if (message.method === 'engine.start') {
      if (starting) throw new Error('the engine is already started');
      starting = Engine.start(message.params as EngineStartParams, { notify, log });
      engine = await starting;
      result = engine.status();
    } else {
      const running = engine ?? (starting ? await starting : undefined);
      if (!running) throw new Error(`the engine is not started; ${message.method} must follow engine.start`);
      result = await running.call(message.method, message.params as never);
    }
    post({ type: 'response', id: message.id, ok: true, result });
    if (message.method === 'engine.stop') setImmediate(() => process.exit(0));
  } catch (error) {
    post({ type: 'response', id: message.id, ok: false, error: describeError(error) });
  }
});
