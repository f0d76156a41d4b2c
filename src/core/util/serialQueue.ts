/**
 * Runs asynchronous tasks one after the other, in the order they were given. A store that answers over a socket
 * would otherwise let a later ingest batch (or a cursor move) overtake an earlier one. A task that fails rejects
 * its own promise only: the next task runs as if it had succeeded.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.pending++;
    const result = this.tail.then(() => task()).finally(() => {
      this.pending--;
    });
    // The chain goes on past a failure; the failure itself is the caller's, through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Tasks given and not yet settled. */
  get size(): number {
    return this.pending;
  }

  /** Settles once every task given so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
