import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectorStatus, EngineStatus } from '../../src/protocol/engineProtocol';
import { relayState, sourceCounts } from '../../src/views/sourceState';

/** Issue 9, item 2: what the status bar, Health and the empty views say about the sources comes from this one rule. */

function status(collectors: CollectorStatus[]): EngineStatus {
  return {
    state: 'ready', startedAt: 0, readyMs: 1, dbPath: undefined, dbBytes: 0, lastFlushMs: undefined, lastFlushError: undefined,
    collectors, dropped: {}, settingErrors: [], notices: [], coverage: { collectingSince: undefined, rawWindowHours: 48 },
  };
}

const chain: CollectorStatus = { name: 'subtensor ws://127.0.0.1:9', state: 'retrying', lastError: 'connect ECONNREFUSED 127.0.0.1:9' };

test('no relay connected and one failed: unreachable, naming the first failed relay and its error; never connected', () => {
  const state = relayState(status([
    { name: 'ws://127.0.0.1:1', state: 'connecting' },
    { name: 'ws://127.0.0.1:2', state: 'retrying', lastError: 'connect ECONNREFUSED 127.0.0.1:2' },
    chain,
  ]), 'ready', undefined);
  assert.deepEqual(state, { kind: 'unreachable', total: 2, relay: 'ws://127.0.0.1:2', error: 'connect ECONNREFUSED 127.0.0.1:2' });
});

test('one relay connected (degraded counts: it is reachable): connected, whatever the chain node does', () => {
  assert.deepEqual(relayState(status([{ name: 'wss://a.example', state: 'degraded', reason: 'only NOTICEs' }, { name: 'wss://b.example', state: 'error', lastError: 'x' }, chain]), 'ready', undefined),
    { kind: 'connected', connected: 1, total: 2 });
  assert.deepEqual(sourceCounts(status([{ name: 'wss://a.example', state: 'connected' }, chain])), { connected: 1, total: 2 });
});

test('still connecting with no error yet, no relay set, an engine not ready, an engine that did not start', () => {
  assert.deepEqual(relayState(status([{ name: 'wss://a.example', state: 'connecting' }, chain]), 'ready', undefined), { kind: 'connecting', total: 1 });
  assert.deepEqual(relayState(status([chain]), 'ready', undefined), { kind: 'noRelays' });
  assert.deepEqual(relayState(status([]), 'starting', undefined), { kind: 'starting' });
  assert.deepEqual(relayState(undefined, 'starting', '/x/swarmscope.db is not a SQLite database'), { kind: 'failed', message: '/x/swarmscope.db is not a SQLite database' });
});
