import type { EngineClientState } from '../engine/engineClient';
import type { CollectorStatus, EngineStatus } from '../protocol/engineProtocol';

/**
 * What is true about the sources right now, in one place, so that the status bar, the Health view, the context keys
 * behind the empty views' welcome texts and their rows all say the same (issue 9, item 2): never "healthy" with
 * nothing connected.
 */
export type RelayState =
  | { readonly kind: 'starting' }
  /** The engine could not start (a database file that is not ours, …): `message` says why, naming the file. */
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'noRelays' }
  /** Some relay is still trying its first connection and none has failed yet. */
  | { readonly kind: 'connecting'; readonly total: number }
  | { readonly kind: 'unreachable'; readonly total: number; readonly relay: string; readonly error: string }
  | { readonly kind: 'connected'; readonly connected: number; readonly total: number };

/** The context key the DVMs and Kinds views' welcome texts follow (package.json viewsWelcome). */
export const RELAY_STATE_CONTEXT_KEY = 'swarmscope.relayState';

/** Relay collectors are named by their URL; the chain collector by "subtensor …". */
export function isRelay(collector: CollectorStatus): boolean {
  return /^wss?:\/\//i.test(collector.name);
}

/** Open and delivering, or open though degraded (it still delivers something). */
export function isConnected(collector: CollectorStatus): boolean {
  return collector.state === 'connected' || collector.state === 'degraded';
}

/** The first thing that went wrong with a source, as its own words (untrusted text: sanitise where shown). */
export function sourceError(collector: CollectorStatus): string | undefined {
  return collector.lastError ?? collector.reason ?? (collector.state === 'error' || collector.state === 'retrying' ? collector.state : undefined);
}

export function relayState(status: EngineStatus | undefined, clientState: EngineClientState, startFailure: string | undefined): RelayState {
  if (startFailure !== undefined) return { kind: 'failed', message: startFailure };
  if (!status || clientState !== 'ready') return { kind: 'starting' };
  const relays = status.collectors.filter(isRelay);
  if (relays.length === 0) return { kind: 'noRelays' };
  const connected = relays.filter(isConnected).length;
  if (connected > 0) return { kind: 'connected', connected, total: relays.length };
  const failed = relays.find((relay) => sourceError(relay) !== undefined);
  if (!failed) return { kind: 'connecting', total: relays.length };
  return { kind: 'unreachable', total: relays.length, relay: failed.name, error: sourceError(failed)! };
}

/** Every source (relays and chain node): connected ones, of how many. */
export function sourceCounts(status: EngineStatus): { connected: number; total: number } {
  return { connected: status.collectors.filter(isConnected).length, total: status.collectors.length };
}
