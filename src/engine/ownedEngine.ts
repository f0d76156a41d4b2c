import { describeError } from '../core/util/errors';
import type { EngineNotification, EngineOwnerInfo, EngineStartParams } from '../protocol/engineProtocol';
import { Engine, type EngineOptions } from './engine';
import { acquireEngineLock, isReadOnlyFolderError, type EngineLock, type LockAttempt } from './engineLock';
import { engineSocketPath } from './engineSocketPath';
import { EngineSocketServer } from './engineSocketServer';

export type OpenedEngine =
  | { readonly role: 'owner'; readonly engine: OwnedEngine }
  | { readonly role: 'client'; readonly owner: EngineOwnerInfo };

/**
 * Opens the database's engine if no live process owns it: takes the lock, serves the engine protocol on the
 * database's socket, then starts the engine. If another process owns it, says who, and starts nothing. The worker
 * and the CLI both start engines through here, so no two engines ever write one file.
 *
 * The socket listens before the store is opened: a client that finds the lock always finds the socket too (its
 * requests wait until the engine is ready), and never takes a live owner for a dead one.
 */
export async function openEngine(params: EngineStartParams, options: EngineOptions): Promise<OpenedEngine> {
  if (!params.dbPath) {
    // An in-memory database is this process's alone: nothing to lock or share.
    return { role: 'owner', engine: new OwnedEngine(await Engine.start(params, options), undefined, undefined) };
  }
  const socketPath = engineSocketPath(params.dbPath);
  let attempt: LockAttempt;
  try {
    attempt = acquireEngineLock({
      dbPath: params.dbPath, socketPath, label: params.ownerLabel ?? `process ${process.pid}`, log: options.log, id: params.lockId,
    });
  } catch (error) {
    if (!isReadOnlyFolderError(error)) throw error;
    // Readers still read; a writer fails at its flush, naming the database, as it would have anyway.
    options.log.log('warn', `${params.dbPath} is in a read-only folder: this engine runs unshared, and cannot save changes`);
    return { role: 'owner', engine: new OwnedEngine(await Engine.start(params, options), undefined, undefined) };
  }
  if (!attempt.acquired) return { role: 'client', owner: attempt.owner };
  let server: EngineSocketServer | undefined;
  let resolveEngine!: (engine: Engine) => void;
  let rejectEngine!: (error: Error) => void;
  const engineReady = new Promise<Engine>((resolve, reject) => {
    resolveEngine = resolve;
    rejectEngine = reject;
  });
  engineReady.catch(() => undefined);
  try {
    server = await EngineSocketServer.listen({
      socketPath,
      handle: async (method, methodParams) => (await engineReady).call(method, methodParams as never),
      log: options.log,
    });
    const serving = server;
    const notify = (notification: EngineNotification) => {
      options.notify(notification);
      serving.broadcast(notification);
    };
    const engine = await Engine.start(params, { ...options, notify });
    resolveEngine(engine);
    return { role: 'owner', engine: new OwnedEngine(engine, attempt.lock, server) };
  } catch (error) {
    rejectEngine(new Error(`the engine did not start: ${describeError(error)}`));
    await server?.close();
    attempt.lock.release();
    throw error;
  }
}

/** An engine with its database's lock and socket; close() hands the database on in an order that loses nothing. */
export class OwnedEngine {
  private closing: Promise<void> | undefined;

  constructor(readonly engine: Engine, private readonly lock: EngineLock | undefined, private readonly server: EngineSocketServer | undefined) {}

  /** Who owns the database (this engine), or undefined for an in-memory database. */
  get owner(): EngineOwnerInfo | undefined {
    return this.lock?.owner;
  }

  /**
   * 1. stop taking requests and let running ones answer (so nothing is acknowledged after the last flush);
   * 2. flush and close the store; 3. release the lock; 4. close the clients' connections, and they race for the lock.
   */
  close(): Promise<void> {
    this.closing ??= this.closeInOrder();
    return this.closing;
  }

  private async closeInOrder(): Promise<void> {
    await this.server?.drain();
    try {
      await this.engine.dispose();
    } finally {
      this.lock?.release();
      await this.server?.close();
    }
  }
}
