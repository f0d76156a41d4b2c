import type { ClientRequestArgs } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';

/**
 * The `ws` WebSocket for nostr-tools (Node 20 has no global one), with a permanent 'error' listener. nostr-tools
 * clears `onerror` before closing a socket that is still connecting; `ws` then emits 'error' with no listener,
 * which Node turns into an uncaught exception. The failure itself still reaches nostr-tools through `onclose`.
 */
export class RelayWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[] | ClientOptions | ClientRequestArgs, options?: ClientOptions | ClientRequestArgs) {
    super(address, protocols as string | string[], options);
    this.on('error', () => undefined);
  }
}
