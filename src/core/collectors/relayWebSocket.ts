import type { ClientRequestArgs } from 'node:http';
import WebSocket, { type ClientOptions } from 'ws';
import { describeSocketClose, describeSocketFailure } from './relaySocketFailure';

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

/** What a relay's socket tells its owner: why it failed (`failed`) or how it ended once open (`closed`). */
export interface RelaySocketReports {
  failed(reason: string): void;
  closed(reason: string): void;
}

/**
 * A RelayWebSocket class that says why its connection failed or ended, in words a user can act on (refused, TLS,
 * an HTTP status instead of an upgrade, a close code). nostr-tools only ever says "connection failed" or calls
 * `onclose` with nothing; these listeners are added first, so they run before nostr-tools' own.
 */
export function reportingRelayWebSocket(reports: RelaySocketReports): typeof RelayWebSocket {
  return class ReportingRelayWebSocket extends RelayWebSocket {
    constructor(address: string | URL, protocols?: string | string[] | ClientOptions | ClientRequestArgs, options?: ClientOptions | ClientRequestArgs) {
      super(address, protocols, options);
      this.on('error', (error) => {
        const reason = describeSocketFailure(error);
        if (reason) reports.failed(reason);
      });
      this.on('close', (code, reason) => reports.closed(describeSocketClose(code, reason.toString('utf8'))));
    }
  };
}
