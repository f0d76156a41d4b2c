import { matchFilters, type Filter } from 'nostr-tools/filter';
import type { Event } from 'nostr-tools/pure';
import type { WebSocket } from 'ws';
import { startLoopbackWsServer } from './loopbackWsServer';

/**
 * A misbehaving NIP-01 relay on loopback: it stores events, answers `EVENT` with `OK`, sends stored events that match
 * a `REQ` and streams new ones live, honours `CLOSE`, but sends no `EOSE` (unless `eoseFor` says so for a REQ). The
 * real relay in nostrRelay.ts always sends EOSE, so this small stand-in is how tests show what the collector does
 * with a relay that does not. Filters are matched with nostr-tools' `matchFilters` (NIP-01 semantics); `limit` is
 * honoured, newest first.
 */

export interface RelayWithoutEose {
  readonly url: string;
  /** WebSocket connections accepted so far (a collector that keeps reconnecting shows here). */
  readonly connections: number;
  /** REQ messages received so far. */
  readonly requests: number;
  /** The filters of every subscription open now. */
  openFilters(): Filter[];
  /** Which REQs get an EOSE after their stored events; none by default. Tests may change it at any time. */
  eoseFor: (filters: readonly Filter[]) => boolean;
  /** Stores an event and sends it to every open subscription it matches, as a client's EVENT would. */
  publish(event: Event): void;
  stop(): Promise<void>;
}

export async function startRelayWithoutEose(): Promise<RelayWithoutEose> {
  const stored: Event[] = [];
  const subscriptions = new Map<WebSocket, Map<string, Filter[]>>();
  let connections = 0;
  let requests = 0;

  const send = (socket: WebSocket, message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const store = (event: Event) => {
    if (stored.some((known) => known.id === event.id)) return;
    stored.push(event);
    for (const [socket, subs] of subscriptions) {
      for (const [id, filters] of subs) if (matchFilters(filters, event)) send(socket, ['EVENT', id, event]);
    }
  };
  const storedMatching = (filters: Filter[]): Event[] => {
    const newestFirst = [...stored].sort((a, b) => b.created_at - a.created_at);
    const out = new Map<string, Event>();
    for (const filter of filters) {
      const matching = newestFirst.filter((event) => matchFilters([filter], event));
      for (const event of matching.slice(0, filter.limit ?? matching.length)) out.set(event.id, event);
    }
    return [...out.values()];
  };

  const server = await startLoopbackWsServer({
    onConnection: (socket) => {
      connections++;
      subscriptions.set(socket, new Map());
      socket.on('close', () => subscriptions.delete(socket));
    },
    onNotJson: (socket) => send(socket, ['NOTICE', 'invalid: not JSON']),
    onMessage: (socket, message) => {
      if (!Array.isArray(message)) return;
      const subs = subscriptions.get(socket);
      if (!subs) return;
      const [type, ...rest] = message as [string, ...unknown[]];
      if (type === 'REQ' && typeof rest[0] === 'string') {
        requests++;
        const filters = rest.slice(1) as Filter[];
        subs.set(rest[0], filters);
        for (const event of storedMatching(filters)) send(socket, ['EVENT', rest[0], event]);
        // …and, as a rule, no ['EOSE', id]: that is the whole point of this relay.
        if (relay.eoseFor(filters)) send(socket, ['EOSE', rest[0]]);
      } else if (type === 'CLOSE' && typeof rest[0] === 'string') {
        subs.delete(rest[0]);
      } else if (type === 'EVENT' && typeof rest[0] === 'object' && rest[0] !== null) {
        const event = rest[0] as Event;
        store(event);
        send(socket, ['OK', event.id, true, '']);
      }
    },
  });
  const relay: RelayWithoutEose = {
    url: server.url,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    openFilters: () => [...subscriptions.values()].flatMap((subs) => [...subs.values()].flat()),
    eoseFor: () => false,
    publish: store,
    stop: server.stop,
  };
  return relay;
}
