import type { Filter } from 'nostr-tools/filter';
import { WebSocket } from 'ws';
import { startLoopbackWsServer } from './loopbackWsServer';

/**
 * A Nostr proxy on loopback in front of a real relay that holds back the EOSE of the REQs `hold` picks until the test
 * releases them: a page of a paged fetch stays in flight for exactly as long as the test needs, whatever the
 * machine's speed, and then ends as the relay ended it. Everything else passes through unchanged, both ways.
 */
export interface EoseGate {
  readonly url: string;
  /** The filters of each REQ whose EOSE is held now (its subscription still open). */
  held(): Filter[][];
  /** Sends every held EOSE, in the order they came, and holds none from now on. */
  release(): void;
  stop(): Promise<void>;
}

export async function startEoseGate(relayUrl: string, hold: (filters: readonly Filter[]) => boolean): Promise<EoseGate> {
  let holding = true;
  /** Subscription id → its filters and, once the relay sent it, the held EOSE; per client connection. */
  const held = new Map<WebSocket, Map<string, { filters: Filter[]; eose?: () => void }>>();

  const server = await startLoopbackWsServer({
    onConnection: (client) => {
      const subscriptions = new Map<string, { filters: Filter[]; eose?: () => void }>();
      held.set(client, subscriptions);
      const upstream = new WebSocket(relayUrl);
      const pending: string[] = [];
      upstream.on('open', () => {
        for (const text of pending.splice(0)) upstream.send(text);
      });
      client.on('message', (data) => {
        const text = data.toString();
        if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
        else pending.push(text);
      });
      upstream.on('message', (data) => {
        const text = data.toString();
        const message = parse(text);
        const subscription = message?.[0] === 'EOSE' && typeof message[1] === 'string' ? subscriptions.get(message[1]) : undefined;
        if (holding && subscription && hold(subscription.filters)) {
          subscription.eose = () => {
            if (client.readyState === WebSocket.OPEN) client.send(text);
          };
          return;
        }
        if (client.readyState === WebSocket.OPEN) client.send(text);
      });
      const closeBoth = () => {
        held.delete(client);
        client.close();
        upstream.close();
      };
      client.on('close', closeBoth);
      upstream.on('close', closeBoth);
      upstream.on('error', closeBoth);
    },
    // The client's REQ and CLOSE are seen here (after the connection's own handler has forwarded them).
    onMessage: (client, message) => {
      if (!Array.isArray(message) || typeof message[1] !== 'string') return;
      const subscriptions = held.get(client);
      if (message[0] === 'REQ') subscriptions?.set(message[1], { filters: message.slice(2) as Filter[] });
      if (message[0] === 'CLOSE') subscriptions?.delete(message[1]);
    },
  });

  const waiting = () => [...held.values()].flatMap((subscriptions) => [...subscriptions.values()].filter((sub) => sub.eose !== undefined));
  return {
    url: server.url,
    held: () => waiting().map((sub) => sub.filters),
    release: () => {
      holding = false;
      for (const sub of waiting()) {
        sub.eose!();
        sub.eose = undefined;
      }
    },
    stop: server.stop,
  };
}

function parse(text: string): unknown[] | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
