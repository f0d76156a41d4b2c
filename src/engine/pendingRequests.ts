import type { EngineToHost } from '../protocol/engineProtocol';

interface Pending {
  readonly method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Requests sent to an engine (a worker or a socket owner) and not yet answered: ids, timeouts, and one clear error
 * for all of them when the engine goes away before answering.
 */
export class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly timeoutMs: number) {}

  /** Registers a request; `send` posts it with the id it is given. */
  open(method: string, send: (id: number) => void): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the engine did not answer ${method} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      try {
        send(id);
      } catch (error) {
        this.settle(id, () => reject(error instanceof Error ? error : new Error(String(error))));
      }
    });
  }

  /** Delivers a response to the request it answers; a response to nothing (timed out, or not ours) is ignored. */
  answer(response: EngineToHost & { type: 'response' }): void {
    this.settle(response.id, (pending) => {
      if (response.ok) pending.resolve(response.result);
      else pending.reject(new Error(response.error));
    });
  }

  /** Fails every open request; `why` says what happened to the engine. */
  failAll(why: (method: string) => string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, (pending) => pending.reject(new Error(why(pending.method))));
  }

  get size(): number {
    return this.pending.size;
  }

  private settle(id: number, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    action(pending);
  }
}
