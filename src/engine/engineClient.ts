import { Worker } from 'node:worker_threads';
import { Backoff } from '../core/util/backoff';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import {
  isEngineToHost, type EngineMethod, type EngineNotification, type EngineStartParams, type EngineStatus,
  type HostToEngine, type ParamsOf, type ResultOf,
} from '../protocol/engineProtocol';

export type EngineClientState = 'starting' | 'ready' | 'crashed' | 'stopped';

export interface EngineClientOptions {
  readonly workerPath: string;
  /** Read afresh at every (re)start, so a restarted worker gets current settings. */
  readonly startParams: () => EngineStartParams;
  readonly log: Logger;
  readonly onNotification: (notification: EngineNotification) => void;
  readonly onStateChange?: (state: EngineClientState, detail?: string) => void;
  readonly requestTimeoutMs?: number;
  readonly backoff?: Backoff;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The host's handle on the engine worker, with no `vscode` import so that it is testable in plain Node.
 * A worker that dies unasked is reported, its pending requests fail with a clear error, and it is restarted
 * with bounded backoff; requests made meanwhile wait for the new worker.
 */
export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private ready: Promise<EngineStatus> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly backoff: Backoff;
  state: EngineClientState = 'stopped';
  restarts = 0;

  constructor(private readonly options: EngineClientOptions) {
    this.backoff = options.backoff ?? new Backoff(500, 30_000);
  }

  /** Starts the worker and the engine in it; resolves with the engine's first status. */
  start(): Promise<EngineStatus> {
    if (this.stopping && !this.worker) {
      // Started again after stop(): a fresh worker, a fresh backoff.
      this.stopping = false;
      this.ready = undefined;
      this.backoff.reset();
    }
    this.ready ??= this.spawn();
    return this.ready;
  }

  async request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.stopping) throw new Error(`the engine is stopped; ${method} was not sent`);
    await (this.ready ?? this.start());
    return this.send(method, params);
  }

  private send<M extends EngineMethod>(method: M, params: unknown): Promise<ResultOf<M>> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error(`the engine worker is not running; ${method} was not sent`));
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the engine did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      const message: HostToEngine = { type: 'request', id, method, params };
      worker.postMessage(message);
    });
  }

  private spawn(): Promise<EngineStatus> {
    this.setState('starting');
    const worker = new Worker(this.options.workerPath);
    this.worker = worker;
    worker.on('message', (message: unknown) => this.receive(message));
    worker.on('error', (error) => this.options.log.log('error', `engine worker error: ${describeError(error)}`));
    worker.on('exit', (code) => this.onExit(worker, code));
    const started = this.send('engine.start', this.options.startParams()).then((status) => {
      this.backoff.reset();
      this.setState('ready');
      return status as EngineStatus;
    });
    started.catch((error) => this.options.log.log('error', `the engine failed to start: ${describeError(error)}`));
    return started;
  }

  private receive(message: unknown): void {
    if (!isEngineToHost(message)) {
      this.options.log.log('error', 'dropped a malformed message from the engine worker');
      return;
    }
    if (message.type === 'notification') {
      if (message.notification.topic === 'engine.log') {
        this.options.log.log(message.notification.payload.level, message.notification.payload.message);
      }
      this.options.onNotification(message.notification);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new Error(message.error));
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    const failure = new Error(`the engine worker exited (code ${code}) before answering`);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(failure);
      this.pending.delete(id);
    }
    if (this.stopping) {
      this.setState('stopped');
      return;
    }
    const delay = this.backoff.next();
    this.restarts++;
    this.options.log.log('error', `the engine worker stopped unexpectedly (exit code ${code}); restarting in ${delay} ms (restart ${this.restarts})`);
    this.setState('crashed', `exit code ${code}; restarting in ${Math.round(delay / 100) / 10} s`);
    // Requests made while down wait on this promise and go to the new worker.
    this.ready = new Promise<EngineStatus>((resolve, reject) => {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopping) return reject(new Error('the engine was stopped'));
        this.spawn().then(resolve, reject);
      }, delay);
    });
    this.ready.catch(() => undefined);
  }

  private setState(state: EngineClientState, detail?: string): void {
    if (state === this.state && state !== 'crashed') return;
    this.state = state;
    this.options.onStateChange?.(state, detail);
  }

  /** Asks the engine to flush and close, then ends the worker; a worker that hangs is terminated. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) {
      this.setState('stopped');
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    try {
      await Promise.race([
        this.send('engine.stop', {}),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
      ]);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    } catch (error) {
      this.options.log.log('warn', `the engine did not stop cleanly (${describeError(error)}); terminating it`);
    }
    await worker.terminate();
    this.setState('stopped');
  }
}
