import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SerialQueue } from '../../src/core/util/serialQueue';

/**
 * Issue 14: the engine's ingest is asynchronous (a store may answer over a socket), so batches given at once must
 * still be applied one after the other, in the order given, and a batch that fails must not stop the ones after it.
 */

/** A promise the test settles by hand: the order of events is the test's, not the clock's. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SerialQueue (the order of ingest batches)', () => {
  it('applies batches given concurrently in the order given, each after the one before has finished', async () => {
    const queue = new SerialQueue();
    const applied: string[] = [];
    const started: string[] = [];
    const gates = { first: deferred(), second: deferred(), third: deferred() };
    const batch = (name: keyof typeof gates) => queue.run(async () => {
      started.push(name);
      await gates[name].promise;
      applied.push(name);
      return name;
    });
    const results = [batch('first'), batch('second'), batch('third')];
    // The later batches' stores answer first; neither may start before the first has been applied.
    gates.third.resolve();
    gates.second.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, ['first'], 'only the first batch runs while it is not done');
    assert.equal(queue.size, 3);
    gates.first.resolve();
    assert.deepEqual(await Promise.all(results), ['first', 'second', 'third']);
    assert.deepEqual(applied, ['first', 'second', 'third']);
    assert.equal(queue.size, 0);
  });

  it('rejects a failing batch on its own promise and goes on with the next', async () => {
    const queue = new SerialQueue();
    const applied: number[] = [];
    const failing = queue.run(async () => {
      throw new Error('the store refused batch 1');
    });
    const next = queue.run(async () => {
      applied.push(2);
      return 2;
    });
    const thrownSync = queue.run(() => {
      throw new Error('batch 3 threw before any await');
    });
    const last = queue.run(() => {
      applied.push(4);
      return 4;
    });
    await assert.rejects(failing, /refused batch 1/);
    assert.equal(await next, 2);
    await assert.rejects(thrownSync, /batch 3 threw/);
    assert.equal(await last, 4);
    assert.deepEqual(applied, [2, 4]);
    await queue.idle();
  });

  it('idle() waits for every batch given so far', async () => {
    const queue = new SerialQueue();
    const gate = deferred();
    let done = false;
    void queue.run(async () => {
      await gate.promise;
      done = true;
    });
    const idle = queue.idle().then(() => done);
    gate.resolve();
    assert.equal(await idle, true);
  });
});
