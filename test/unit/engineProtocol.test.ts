import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEngineToHost, isHostToEngine } from '../../src/protocol/engineProtocol';

test('host → engine messages: only well-formed requests for known methods pass', () => {
  assert.equal(isHostToEngine({ type: 'request', id: 1, method: 'engine.status', params: {} }), true);
  assert.equal(isHostToEngine({ type: 'request', id: 1, method: 'engine.dropTables', params: {} }), false);
  assert.equal(isHostToEngine({ type: 'request', id: '1', method: 'engine.status', params: {} }), false);
  assert.equal(isHostToEngine({ type: 'request', id: 1, method: 'engine.status' }), false);
  assert.equal(isHostToEngine(null), false);
  assert.equal(isHostToEngine([]), false);
});

test('engine → host messages: responses and notifications are checked', () => {
  assert.equal(isEngineToHost({ type: 'response', id: 3, ok: true, result: null }), true);
  assert.equal(isEngineToHost({ type: 'response', id: 3, ok: false, error: 'boom' }), true);
  assert.equal(isEngineToHost({ type: 'response', id: 3, ok: false }), false);
  assert.equal(isEngineToHost({ type: 'response', id: 3, ok: true }), false);
  assert.equal(isEngineToHost({ type: 'notification', notification: { topic: 'engine.log', payload: {} } }), true);
  assert.equal(isEngineToHost({ type: 'notification', notification: { payload: {} } }), false);
  assert.equal(isEngineToHost({ type: 'other' }), false);
});
