import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import type { EngineRequester } from '../../src/views/engineRequester';

/**
 * The real engine in this process, for panels' host logic: an in-memory store, no relays, collecting nothing, and a
 * closed loopback port as its chain so nothing leaves the machine. `notify` hears what the engine announces; nothing
 * reaches a panel's router unless the test routes it.
 */
export function startOfflineEngine(notify: (notification: EngineNotification) => void = () => undefined): Promise<Engine> {
  return Engine.start(
    { dbPath: undefined, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: false },
    { notify, log: { log: () => undefined } },
  );
}

/**
 * A panel's way to the engine that writes down each method it asks, so a test can count a panel's reads. The engine
 * is looked up at each request: a test makes the requester at load time and starts the engine in `before`.
 */
export function recordingRequester(engine: () => Engine): { readonly requester: EngineRequester; readonly calls: string[] } {
  const calls: string[] = [];
  const requester: EngineRequester = {
    request: (method, params) => {
      calls.push(method);
      return engine().call(method, params);
    },
  };
  return { requester, calls };
}
