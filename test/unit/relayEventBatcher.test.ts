import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelayEventBatcher } from '../../src/core/collectors/relayEventBatcher';

/**
 * Issue 14: the engine takes a relay's batches asynchronously. A batch counts as delivered (and may move the relay's
 * cursor) only once the engine stored it; a batch the engine failed to store is reported, never dropped silently,
 * and the next batch is delivered as usual.
 */
describe('RelayEventBatcher with an asynchronous engine', () => {
  const event = (createdAt: number) => ({ id: String(createdAt), created_at: createdAt });

  it('reports a batch delivered only when its promise resolves, and failed when it rejects', async () => {
    const outcomes: string[] = [];
    const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
    const batcher = new RelayEventBatcher({
      flushMs: 60_000,
      maxBatch: 2,
      deliver: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
      delivered: (newest, count) => outcomes.push(`delivered ${count} up to ${newest}`),
      failed: (error, count) => outcomes.push(`failed ${count}: ${(error as Error).message}`),
    });
    batcher.push(event(10));
    batcher.push(event(11));
    batcher.push(event(20));
    batcher.push(event(21));
    assert.equal(pending.length, 2, 'two full batches handed over');
    assert.deepEqual(outcomes, [], 'nothing counts as delivered before the engine answers');
    pending[0].reject(new Error('the store is closed'));
    pending[1].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(outcomes, ['failed 2: the store is closed', 'delivered 2 up to 21']);
    batcher.dispose();
  });

  it('still reports a synchronous delivery at once', () => {
    const outcomes: string[] = [];
    const batcher = new RelayEventBatcher({
      flushMs: 60_000,
      maxBatch: 1,
      deliver: () => undefined,
      delivered: (newest) => outcomes.push(`delivered up to ${newest}`),
      failed: () => outcomes.push('failed'),
    });
    batcher.push(event(5));
    assert.deepEqual(outcomes, ['delivered up to 5']);
  });
});
