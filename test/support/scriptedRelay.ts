import * as http from 'node:http';
import { closeHttpServer, listenOnLoopback, startLoopbackWsServer } from './loopbackWsServer';

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
  const server = await startLoopbackWsServer({
    onMessage: (socket, message) => {
      if (!Array.isArray(message) || message[0] !== 'REQ' || typeof message[1] !== 'string') return;
      requests++;
      for (const frame of answer(message[1])) socket.send(frame, { binary: typeof frame !== 'string' });
    },
  });
  return {
    url: server.url,
    get requests() {
      return requests;
    },
    stop: server.stop,
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
  const port = await listenOnLoopback(server);
  return { port, stop: () => closeHttpServer(server) };
}
