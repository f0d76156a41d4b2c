import { AbstractRelay, type AbstractRelayConstructorOptions } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import type { Event } from 'nostr-tools/pure';
import { RelayWebSocket } from '../../src/core/collectors/relayWebSocket';

/** What a relay serves for one filter now, asked over a fresh connection as any client would (stored events, to EOSE). */
export async function relayEvents(url: string, filter: Filter): Promise<Event[]> {
  const client = await AbstractRelay.connect(url, {
    verifyEvent: () => true,
    websocketImplementation: RelayWebSocket as unknown as AbstractRelayConstructorOptions['websocketImplementation'],
  });
  try {
    return await new Promise<Event[]>((resolve) => {
      const events: Event[] = [];
      client.subscribe([filter], { onevent: (event) => events.push(event), oneose: () => resolve(events) });
    });
  } finally {
    client.close();
  }
}
