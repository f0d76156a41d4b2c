import * as net from 'node:net';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import {
  isEngineToHost, type EngineMethod, type EngineNotification, type EngineOwnerInfo, type HostToEngine, type ParamsOf, type ResultOf,
} from '../protocol/engineProtocol';
import { PendingRequests } from './pendingRequests';
import { encodeFrame, readFrames, type Frame } from './socketFrames';

export interface EngineConnectionOptions {
  readonly onNotification: (notification: EngineNotification) => void;
  /** Called once, when the owner closes the connection or it breaks (not after close()). */
  readonly onClose?: (reason: string) => void;
  readonly log: Logger;
  readonly requestTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

/**
 * A client's line to the engine that owns a database, over the owner's local socket (src/engine/engineSocketServer.ts):
 * the engine protocol's requests out, its responses and notifications in, each checked by the same guard as on the
 * worker port. Used by the extension in a window that does not own the database, and by the CLI.
 */
export class EngineConnection {
  private readonly pending: PendingRequests;
  private closedByUs = false;
  private ended = false;

  private constructor(private readonly socket: net.Socket, readonly owner: EngineOwnerInfo, private readonly options: EngineConnectionOptions) {
    this.pending = new PendingRequests(options.requestTimeoutMs ?? 120_000);
    readFrames(socket, (frame) => this.receive(frame), (error) => {
      this.options.log.log('error', `engine connection: ${describeError(error)}; disconnecting`);
      socket.destroy();
    });
    socket.on('error', (error) => this.options.log.log('debug', `engine connection: ${describeError(error)}`));
    socket.on('close', () => this.onSocketClose());
  }

  /** Connects to the owner's socket; rejects if nothing listens there (the owner is gone or not yet serving). */
  static connect(owner: EngineOwnerInfo, options: EngineConnectionOptions): Promise<EngineConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(owner.socketPath);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`the engine in ${owner.label} (pid ${owner.pid}) did not accept a connection within ${options.connectTimeoutMs ?? 5_000} ms`));
      }, options.connectTimeoutMs ?? 5_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new EngineConnection(socket, owner, options));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not connect to the engine in ${owner.label} (pid ${owner.pid}): ${describeError(error)}`));
      });
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.ended) return Promise.reject(new Error(`the engine in ${this.owner.label} (pid ${this.owner.pid}) is gone; ${method} was not sent`));
    return this.pending.open(method, (id) => {
      const message: HostToEngine = { type: 'request', id, method, params };
      this.socket.write(encodeFrame(message));
    }) as Promise<ResultOf<M>>;
  }

  close(): void {
    this.closedByUs = true;
    this.socket.end();
    // An owner that does not answer the FIN must not keep us (or a CLI process) waiting.
    setTimeout(() => this.socket.destroy(), 1_000).unref();
  }

  private receive(frame: Frame): void {
    if (!frame.ok || !isEngineToHost(frame.value)) {
      this.options.log.log('error', 'engine connection: dropped a malformed message from the owner');
      return;
    }
    const message = frame.value;
    if (message.type === 'notification') this.options.onNotification(message.notification);
    else this.pending.answer(message);
  }

  private onSocketClose(): void {
    if (this.ended) return;
    this.ended = true;
    const gone = `the engine in ${this.owner.label} (pid ${this.owner.pid}) went away`;
    this.pending.failAll((method) => `${gone} before answering ${method}`);
    if (!this.closedByUs) this.options.onClose?.(gone);
  }
}
