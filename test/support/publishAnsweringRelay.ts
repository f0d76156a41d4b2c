import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A relay on loopback whose answer to a published EVENT the test decides, for what the real relay never does on
 * cue: `OK false` with its reason (a paid relay, a spam filter), or no `OK` at all (an overloaded relay). REQs are
 * answered with an EOSE and nothing else.
 */

/** `[accepted, message]` is sent as `["OK", id, accepted, message]`; `undefined`: no answer, ever. */
export type PublishAnswer = (event: { id: string; kind: number }) => readonly [boolean, string] | undefined;

export interface PublishAnsweringRelay {
  readonly url: string;
  /** Ids of the EVENTs received, in order. */
  readonly received: readonly string[];
  stop(): Promise<void>;
}

export async function startPublishAnsweringRelay(answer: PublishAnswer): Promise<PublishAnsweringRelay> {
  const received: string[] = [];
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
      if (!Array.isArray(message)) return;
      if (message[0] === 'REQ' && typeof message[1] === 'string') socket.send(JSON.stringify(['EOSE', message[1]]));
      if (message[0] === 'EVENT' && typeof message[1]?.id === 'string') {
        received.push(message[1].id);
        const verdict = answer(message[1]);
        if (verdict) socket.send(JSON.stringify(['OK', message[1].id, verdict[0], verdict[1]]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () => new Promise((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
