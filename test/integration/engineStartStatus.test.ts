import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import type { EngineStatus, EngineNotification } from '../../src/protocol/engineProtocol';
import { relayState } from '../../src/views/sourceState';

/**
 * The engine says it is ready before its relay collector exists (that waits for the signature verifier to load).
 * The status it publishes at that moment must still list the configured relays: the sidebar reads "no relay in the
 * status" as "No relay is set", which was on screen for seconds after every start with a relay configured.
 */
test('the status published when the engine becomes ready lists the configured relays, not connected yet', async () => {
  const relay = 'ws://127.0.0.1:1'; // closed: nothing here may reach the network
  const published: EngineStatus[] = [];
  const engine = await Engine.start(
    { dbPath: undefined, settings: { relays: [relay], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: true },
    { notify: (notification: EngineNotification) => { if (notification.topic === 'engine.status') published.push(notification.payload); }, log: { log: () => undefined } },
  );
  try {
    const first = published[0];
    assert.ok(first, 'the engine published its status when it became ready');
    assert.equal(first.state, 'ready');
    const entry = first.collectors.find((collector) => collector.name === relay);
    assert.ok(entry, `the relay is in the first status: ${JSON.stringify(first.collectors)}`);
    assert.notEqual(entry.state, 'connected');
    assert.equal(relayState(first, 'ready', undefined).kind, 'connecting');
  } finally {
    await engine.dispose();
  }
});
