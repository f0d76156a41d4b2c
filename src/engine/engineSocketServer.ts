import * as fs from 'node:fs';
import * as net from 'node:net';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import { isHostToEngine, type EngineMethod, type EngineNotification, type EngineToHost } from '../protocol/engineProtocol';
import { encodeFrame, FrameTooLargeError, readFrames, type Frame } from './socketFrames';

export interface EngineSocketServerOptions {
  readonly socketPath: string;
  /** Runs one request against the engine; its result or error is the client's answer. */
  readonly handle: (method: EngineMethod, params: unknown) => Promise<unknown>;
  readonly log: Logger;
}

/** The owner alone starts and stops its engine; a client that asks is refused. */
const OWNER_ONLY: ReadonlySet<string> = new Set(['engine.start', 'engine.stop']);

/** A client that stops reading is dropped before its unread notifications take more memory than this. */
const MAX_UNREAD_BYTES = 64 * 1024 * 1024;

/**
 * The owner's engine, served to other windows and CLI processes over the database's local socket: the engine
 * protocol's requests in, responses and every notification out, one JSON frame per line. Every frame passes the same
 * guard as on the worker port; a client that sends something else is refused (and, when its frame is not even a
 * request, disconnected) while the server and its other clients carry on.
 */
export class EngineSocketServer {
  private readonly connections = new Set<net.Socket>();
  private readonly inFlight = new Set<Promise<void>>();
  private serving = true;
  private closed: Promise<void> | undefined;

  private constructor(private readonly server: net.Server, private readonly options: EngineSocketServerOptions) {
    server.on('connection', (socket) => this.accept(socket));
    server.on('error', (error) => options.log.log('error', `engine socket: ${describeError(error)}`));
  }

  /** Listens on the socket path. Only the lock holder calls this, so a file already there is a dead owner's. */
  static async listen(options: EngineSocketServerOptions): Promise<EngineSocketServer> {
    const posix = process.platform !== 'win32';
    if (posix) fs.rmSync(options.socketPath, { force: true });
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The folder is already 0700; the socket itself says the same.
    if (posix) fs.chmodSync(options.socketPath, 0o600);
    return new EngineSocketServer(server, options);
  }

  get clientCount(): number {
    return this.connections.size;
  }

  broadcast(notification: EngineNotification): void {
    if (this.connections.size === 0) return;
    let frame: string;
    try {
      frame = encodeFrame({ type: 'notification', notification } satisfies EngineToHost);
    } catch (error) {
      this.options.log.log('error', `engine socket: a ${notification.topic} notification was not sent to clients (${describeError(error)})`);
      return;
    }
    for (const socket of this.connections) this.write(socket, frame);
  }

  /**
   * Stops listening (which removes the socket file while we still hold the lock) and taking requests, then waits
   * for the requests already running. Connections stay open, so clients learn the owner is gone only from close().
   */
  async drain(): Promise<void> {
    if (this.serving) {
      this.serving = false;
      this.closed = new Promise((resolve) => this.server.close(() => resolve()));
    }
    await Promise.allSettled([...this.inFlight]);
  }

  /** Drains, then ends every connection: clients see the owner go away and take over the database. */
  async close(): Promise<void> {
    await this.drain();
    for (const socket of this.connections) socket.end();
    const ended = await Promise.race([this.closed!.then(() => true), delay(2_000).then(() => false)]);
    if (!ended) for (const socket of this.connections) socket.destroy();
  }

  private accept(socket: net.Socket): void {
    if (!this.serving) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    readFrames(socket, (frame) => this.receive(socket, frame), (error) => {
      this.disconnect(socket, `it sent ${error instanceof FrameTooLargeError ? error.message : describeError(error)}`);
    });
    socket.on('close', () => this.connections.delete(socket));
    // 'close' follows every error; nothing to add.
    socket.on('error', () => undefined);
  }

  private receive(socket: net.Socket, frame: Frame): void {
    // While shutting down, requests go unanswered: the client sees the connection close and asks the next owner.
    if (!this.serving || socket.destroyed) return;
    if (!frame.ok) {
      this.disconnect(socket, `it sent a frame that is not JSON (${frame.error})`);
      return;
    }
    const message = frame.value;
    if (!isHostToEngine(message)) {
      const id = requestId(message);
      if (id === undefined) {
        this.disconnect(socket, 'it sent a message that is not an engine request');
        return;
      }
      const method = typeof (message as { method?: unknown }).method === 'string' ? (message as { method: string }).method : '(none)';
      this.options.log.log('warn', `engine socket: refused request ${id} for unknown method ${JSON.stringify(method.slice(0, 80))}`);
      this.respond(socket, { type: 'response', id, ok: false, error: `refused: ${JSON.stringify(method.slice(0, 80))} is not an engine method` });
      return;
    }
    if (OWNER_ONLY.has(message.method)) {
      this.respond(socket, { type: 'response', id: message.id, ok: false, error: `refused: ${message.method} is for the engine's owner only` });
      return;
    }
    const work = this.options.handle(message.method, message.params).then(
      (result) => this.respond(socket, { type: 'response', id: message.id, ok: true, result }),
      (error) => this.respond(socket, { type: 'response', id: message.id, ok: false, error: describeError(error) }),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private respond(socket: net.Socket, response: EngineToHost & { type: 'response' }): void {
    let frame: string;
    try {
      frame = encodeFrame(response);
    } catch (error) {
      frame = encodeFrame({ type: 'response', id: response.id, ok: false, error: `the answer could not be sent: ${describeError(error)}` } satisfies EngineToHost);
    }
    this.write(socket, frame);
  }

  private write(socket: net.Socket, frame: string): void {
    if (socket.destroyed || !socket.writable) return;
    socket.write(frame);
    if (socket.writableLength > MAX_UNREAD_BYTES) this.disconnect(socket, `it read nothing while ${socket.writableLength} bytes waited for it`);
  }

  private disconnect(socket: net.Socket, why: string): void {
    this.options.log.log('warn', `engine socket: disconnected a client: ${why}`);
    socket.destroy();
  }
}

function requestId(message: unknown): number | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const id = (message as { id?: unknown }).id;
  return Number.isSafeInteger(id) ? (id as number) : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
