import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The skeleton of the stand-in relays (publishAnsweringRelay.ts, relayWithoutEose.ts, scriptedRelay.ts): a WebSocket
 * server on a free loopback port whose clients' JSON messages go to the stand-in, which decides what a relay says.
 * Plain HTTP is answered 426 (Upgrade Required), as a relay would.
 */

export interface LoopbackWsHandlers {
  /** Each client as it connects, before its first message. */
  readonly onConnection?: (socket: WebSocket) => void;
  /** Each message that parsed as JSON (any JSON: the stand-in checks its shape). */
  readonly onMessage: (socket: WebSocket, message: unknown) => void;
  /** A message that is not JSON; ignored unless given. */
  readonly onNotJson?: (socket: WebSocket) => void;
}

export interface LoopbackWsServer {
  readonly url: string;
  /** Drops every client and stops listening. */
  stop(): Promise<void>;
}

export async function startLoopbackWsServer(handlers: LoopbackWsHandlers): Promise<LoopbackWsServer> {
  const server = http.createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', () => undefined);
    handlers.onConnection?.(socket);
    socket.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        handlers.onNotJson?.(socket);
        return;
      }
      handlers.onMessage(socket, message);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `ws://127.0.0.1:${port}`,
    stop: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      return closeHttpServer(server);
    },
  };
}

/** Listens on a free loopback port; resolves with it. */
export async function listenOnLoopback(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Stops listening and drops open connections (keep-alive ones would otherwise hold close() up). */
export function closeHttpServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
