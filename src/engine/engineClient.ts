import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { Backoff } from '../core/util/backoff';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import {
  isEngineToHost, type EngineMethod, type EngineNotification, type EngineOwnerInfo, type EngineStartParams, type EngineStartResult,
  type EngineStatus, type HostToEngine, type ParamsOf, type ResultOf,
} from '../protocol/engineProtocol';
import { EngineConnection } from './engineConnection';
import { liveEngineOwner, lockPathFor, releaseEngineLock } from './engineLock';
import { PendingRequests } from './pendingRequests';

export type EngineClientState = 'starting' | 'ready' | 'crashed' | 'stopped';

/** `owner`: this host's worker runs the database's engine. `client`: another window or process does, over its socket. */
export type EngineRole = 'owner' | 'client';

export interface EngineClientOptions {
  readonly workerPath: string;
  /** Read afresh at every (re)start, so a restarted worker gets current settings. */
  readonly startParams: () => EngineStartParams;
  readonly log: Logger;
  readonly onNotification: (notification: EngineNotification) => void;
  readonly onStateChange?: (state: EngineClientState, detail?: string) => void;
  readonly requestTimeoutMs?: number;
  readonly backoff?: Backoff;
  /** Clients wait a random time up to this before racing for a database whose owner went away, so they do not stampede. */
  readonly handOverJitterMs?: number;
}

/**
 * The host's handle on the engine, with no `vscode` import so that it is testable in plain Node. One engine runs per
 * database file: if no other live process owns the database, this host runs it in a worker (which also serves it to
 * other windows); otherwise this host is a client of the owner over its socket. The rest of the host sees the same
 * requests and notifications either way.
 *
 * A worker that dies unasked is reported, its pending requests fail with a clear error, its lock is released, and the
 * engine is started again with bounded backoff. An owner that goes away (its window closed, its process killed) is
 * replaced: after a random delay the clients race for the lock; the winner starts the engine and the others connect to
 * it. Requests made meanwhile wait for the new engine.
 */
export class EngineClient {
  private worker: Worker | undefined;
  private connection: EngineConnection | undefined;
  private readonly workerRequests: PendingRequests;
  private ready: Promise<EngineStatus> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly backoff: Backoff;
  /** The lock id our worker uses, chosen here so that the lock can be released if the worker dies holding it. */
  private lock: { path: string; id: string } | undefined;
  state: EngineClientState = 'stopped';
  role: EngineRole | undefined;
  /** Who runs the engine: this host's worker (role 'owner') or another process; undefined for an in-memory database. */
  owner: EngineOwnerInfo | undefined;
  restarts = 0;
  /** Times an owner went away and this host took over or joined the next owner. */
  handOvers = 0;

  constructor(private readonly options: EngineClientOptions) {
    this.backoff = options.backoff ?? new Backoff(500, 30_000);
    this.workerRequests = new PendingRequests(options.requestTimeoutMs ?? 120_000);
  }

  /** Starts (or joins) the engine; resolves with its first status. */
  start(): Promise<EngineStatus> {
    if (this.stopping && !this.worker && !this.connection) {
      // Started again after stop(): a fresh start, a fresh backoff.
      this.stopping = false;
      this.ready = undefined;
      this.backoff.reset();
    }
    this.ready ??= this.establish();
    return this.ready;
  }

  async request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.stopping) throw new Error(`the engine is stopped; ${method} was not sent`);
    await (this.ready ?? this.start());
    if (this.connection) return this.connection.request(method, params);
    return this.sendToWorker(method, params);
  }

  /** Owner if no live process holds the database's lock, else a client of the one that does; retried until one works. */
  private async establish(): Promise<EngineStatus> {
    if (this.state !== 'starting') this.setState('starting');
    const params = this.options.startParams();
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new Error('the engine was stopped');
      const holder = params.dbPath ? liveEngineOwner(params.dbPath) : undefined;
      const started: EngineStartResult = holder ? { role: 'client', owner: holder } : await this.spawnWorker();
      if (started.role === 'owner') {
        this.role = 'owner';
        this.owner = started.owner;
        this.backoff.reset();
        this.setState('ready');
        return started.status;
      }
      try {
        const status = await this.join(started.owner);
        this.setState('ready');
        return status;
      } catch (error) {
        // The owner went away between its lock and its socket (or is still letting go of the lock): look again.
        const wait = Math.min(2_000, 100 * 2 ** attempt);
        this.options.log.log('debug', `joining the engine in ${started.owner.label} failed (${describeError(error)}); looking again in ${wait} ms`);
        this.setState('starting', `waiting for the engine in ${started.owner.label} (pid ${started.owner.pid})`);
        await this.sleep(wait);
      }
    }
  }

  private async join(owner: EngineOwnerInfo): Promise<EngineStatus> {
    const connection = await EngineConnection.connect(owner, {
      log: this.options.log,
      requestTimeoutMs: this.options.requestTimeoutMs,
      onNotification: (notification) => this.deliver(notification, owner),
      onClose: (reason) => this.onOwnerGone(connection, reason),
    });
    let status: EngineStatus;
    try {
      status = await connection.request('engine.status', {});
    } catch (error) {
      connection.close();
      throw error;
    }
    // Adopted only once it answered: a connection that broke before is the caller's to retry, not a hand-over.
    if (this.stopping || connection.closed) {
      connection.close();
      throw new Error(this.stopping ? 'the engine was stopped' : `the engine in ${owner.label} went away`);
    }
    this.connection = connection;
    this.role = 'client';
    this.owner = owner;
    this.options.log.log('info', `the database is owned by ${owner.label} (pid ${owner.pid}); this window uses that engine`);
    return status;
  }

  private spawnWorker(): Promise<EngineStartResult> {
    const worker = new Worker(this.options.workerPath);
    this.worker = worker;
    worker.on('message', (message: unknown) => this.receiveFromWorker(message));
    worker.on('error', (error) => this.options.log.log('error', `engine worker error: ${describeError(error)}`));
    worker.on('exit', (code) => this.onWorkerExit(worker, code));
    const params = this.options.startParams();
    this.lock = params.dbPath ? { path: lockPathFor(params.dbPath), id: randomBytes(12).toString('hex') } : undefined;
    const started = this.sendToWorker('engine.start', { ...params, lockId: this.lock?.id }).then((result) => {
      if (result.role === 'client') {
        // Another process won the lock first; this worker has nothing to do.
        this.worker = undefined;
        void worker.terminate();
      }
      return result;
    });
    started.catch((error) => {
      this.options.log.log('error', `the engine failed to start: ${describeError(error)}`);
      // A worker without an engine only holds memory; the next start() spawns a fresh one.
      if (this.worker === worker) this.worker = undefined;
      void worker.terminate();
    });
    return started;
  }

  private sendToWorker<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error(`the engine worker is not running; ${method} was not sent`));
    return this.workerRequests.open(method, (id) => {
      const message: HostToEngine = { type: 'request', id, method, params };
      worker.postMessage(message);
    }) as Promise<ResultOf<M>>;
  }

  private receiveFromWorker(message: unknown): void {
    if (!isEngineToHost(message)) {
      this.options.log.log('error', 'dropped a malformed message from the engine worker');
      return;
    }
    if (message.type === 'notification') this.deliver(message.notification, undefined);
    else this.workerRequests.answer(message);
  }

  /** `from` is the owner when the notification came over its socket (its log lines are labelled with it). */
  private deliver(notification: EngineNotification, from: EngineOwnerInfo | undefined): void {
    if (notification.topic === 'engine.log') {
      const { level, message } = notification.payload;
      this.options.log.log(level, from ? `[engine in ${from.label}] ${message}` : message);
    }
    this.options.onNotification(notification);
  }

  private onWorkerExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.releaseOurLock();
    this.workerRequests.failAll(() => `the engine worker exited (code ${code}) before answering`);
    if (this.stopping) {
      this.setState('stopped');
      return;
    }
    const delay = this.backoff.next();
    this.restarts++;
    this.options.log.log('error', `the engine worker stopped unexpectedly (exit code ${code}); restarting in ${delay} ms (restart ${this.restarts})`);
    this.setState('crashed', `exit code ${code}; restarting in ${Math.round(delay / 100) / 10} s`);
    this.restartAfter(delay);
  }

  private onOwnerGone(connection: EngineConnection, reason: string): void {
    if (connection !== this.connection) return;
    this.connection = undefined;
    if (this.stopping) {
      this.setState('stopped');
      return;
    }
    this.handOvers++;
    const jitter = Math.round(Math.random() * (this.options.handOverJitterMs ?? 300));
    this.options.log.log('info', `${reason}; taking over the database or joining its next owner in ${jitter} ms`);
    this.setState('starting', `${reason}; taking over`);
    this.restartAfter(jitter);
  }

  /** Requests made while down wait on this promise and go to the next engine. */
  private restartAfter(delay: number): void {
    this.ready = this.sleep(delay).then(() => this.establish());
    this.ready.catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.stopping) reject(new Error('the engine was stopped'));
        else resolve();
      }, ms);
    });
  }

  /** A worker that died (or was terminated) cannot release its own lock; the lock is ours to release. */
  private releaseOurLock(): void {
    if (!this.lock) return;
    try {
      releaseEngineLock(this.lock.path, this.lock.id);
    } catch (error) {
      this.options.log.log('error', `could not release the engine lock ${this.lock.path}: ${describeError(error)}`);
    }
    this.lock = undefined;
  }

  private setState(state: EngineClientState, detail?: string): void {
    if (state === this.state && state !== 'crashed' && state !== 'starting') return;
    this.state = state;
    this.options.onStateChange?.(state, detail);
  }

  /**
   * Owner: asks the engine to flush, release the database and close, then ends the worker (a worker that hangs is
   * terminated). Client: closes the connection; the owner's engine runs on.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    connection?.close();
    const worker = this.worker;
    if (!worker) {
      this.setState('stopped');
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    try {
      await Promise.race([
        this.sendToWorker('engine.stop', {}),
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
