import type { AbstractRelayConstructorOptions } from 'nostr-tools/abstract-relay';
import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import { GuardedRelay } from './guardedRelay';
import { reportingRelayWebSocket } from './relayWebSocket';

/**
 * Opens one GuardedRelay for a short-lived task (a one-shot fetch, publishing a job and watching its answers): bad
 * frames and nostr-tools' own output go to the debug log, and a failed connection throws saying why (refused, TLS,
 * HTTP status) in the words relaySocketFailure.ts finds. Events are not verified here: the engine's ingest does it.
 */
export async function connectGuardedRelay(url: string, options: {
  readonly timeoutMs: number;
  readonly log: Logger;
  /** Names the task in the debug log ("relay … (post) sent a bad frame"); left out, the log names the relay alone. */
  readonly label?: string;
}): Promise<GuardedRelay> {
  if (!/^wss?:\/\//i.test(url)) throw new Error('not a ws:// or wss:// URL');
  let failure: string | undefined;
  const { log, label } = options;
  const relayName = label === undefined ? url : `${url} (${label})`;
  const relay = new GuardedRelay(url, {
    verifyEvent: () => true,
    websocketImplementation: reportingRelayWebSocket({
      failed: (reason) => { failure ??= reason; },
      closed: () => undefined,
    }) as unknown as AbstractRelayConstructorOptions['websocketImplementation'],
  }, {
    frame: () => undefined,
    badFrame: (reason) => log.log('debug', `relay ${relayName} sent a bad frame (${reason})`),
    libraryOutput: (text) => log.log('debug', `relay ${relayName}: nostr-tools: ${text.slice(0, 300)}`),
  });
  try {
    await relay.connect({ timeout: options.timeoutMs });
  } catch (error) {
    relay.close();
    throw new Error(failure ?? describeError(error));
  }
  return relay;
}
