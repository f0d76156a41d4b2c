import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * Broken relays on loopback, for the failures a real relay implementation never shows: a WebSocket server that
 * answers every REQ with frames the test scripts (garbage, binary, only NOTICEs, events nostr-tools chokes on),
 * and an HTTP server that never upgrades (a wrong URL, a proxy's error page).
 */

/** A frame as sent: text as a text frame, a Buffer as a binary frame. */
export type ScriptedFrame = string | Buffer;

export interface ScriptedRelay {
  readonly url: string;
  /** REQs received so far. */
  readonly requests: number;
  stop(): Promise<void>;
}

export async function startScriptedRelay(answer: (subscriptionId: string) => readonly ScriptedFrame[]): Promise<ScriptedRelay> {
  let requests = 0;
  const server = http.createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!Array.isArray(message) || message[0] !== 'REQ' || typeof message[1] !== 'string') return;
      requests++;
      for (const frame of answer(message[1])) socket.send(frame, { binary: typeof frame !== 'string' });
    });
  });
  const port = await listen(server);
  return {
    url: `ws://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    stop: () => close(server, () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    }),
  };
}

export interface HttpOnlyServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Answers every request, WebSocket upgrades included, with `status` and a short page. */
export async function startHttpOnlyServer(status: number): Promise<HttpOnlyServer> {
  const server = http.createServer((_request, response) => response.writeHead(status, { 'content-type': 'text/plain' }).end('not a relay'));
  // An upgrade request is answered as a plain request: with no 'upgrade' listener, Node would just drop the socket.
  server.on('upgrade', (_request, socket) => socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`));
  const port = await listen(server);
  return { port, stop: () => close(server, () => undefined) };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function close(server: http.Server, before: () => void): Promise<void> {
  return new Promise((resolve) => {
    before();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
