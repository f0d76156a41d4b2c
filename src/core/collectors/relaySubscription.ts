import type { AbstractRelay, Subscription } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';

/**
 * One REQ, with its end of stored events told apart honestly. nostr-tools treats a missing EOSE as an EOSE after
 * `eoseTimeout` (4.4 s by default), which silently truncates a slow backfill; here the library's timer is pushed
 * past ours, and our own `maxWaitMs` timer reports 'timeout' so the caller can retry instead of trusting a part.
 */
export type StoredEnd =
  | { readonly kind: 'eose'; readonly ms: number }
  | { readonly kind: 'closed'; readonly ms: number; readonly reason: string }
  | { readonly kind: 'timeout'; readonly ms: number };

export interface RelaySubscriptionOptions {
  readonly label: string;
  readonly maxWaitMs: number;
  readonly onEvent: (event: unknown) => void;
  /** Events nostr-tools refused because they do not match the filters (a relay bug or a hostile relay). */
  readonly onInvalid?: (event: unknown) => void;
  readonly alreadyHave?: (id: string) => boolean;
  /** The relay or the connection ended the subscription after its stored events had been sent. */
  readonly onEndedLive?: (reason: string) => void;
  /**
   * A live subscription stays open when no EOSE came in time (some relays never send one), so live events still
   * arrive; a page of stored events (the default) is closed, since the caller retries it.
   */
  readonly keepOpenOnTimeout?: boolean;
}

export interface RelaySubscription {
  readonly subscription: Subscription;
  /** Settles once: at EOSE, at CLOSED before EOSE, or at `maxWaitMs`. */
  readonly storedEnd: Promise<StoredEnd>;
  close(): void;
}

export function openRelaySubscription(relay: AbstractRelay, filters: Filter[], options: RelaySubscriptionOptions): RelaySubscription {
  // nostr-tools sends a REQ without awaiting it: on a closed connection that would be an unhandled rejection.
  if (!relay.connected) throw new Error('the relay connection is closed');
  const started = performance.now();
  let settled = false;
  let closedByUs = false;
  let settle: (end: StoredEnd) => void = () => undefined;
  const storedEnd = new Promise<StoredEnd>((resolve) => {
    settle = (end) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(end);
    };
  });
  const elapsed = () => performance.now() - started;

  const subscription = relay.subscribe(filters, {
    label: options.label,
    // Only our timer decides that the stored events did not all come.
    eoseTimeout: options.maxWaitMs + 60_000,
    alreadyHaveEvent: options.alreadyHave,
    onevent: (event) => options.onEvent(event),
    oninvalidevent: options.onInvalid,
    oneose: () => settle({ kind: 'eose', ms: elapsed() }),
    onclose: (reason) => {
      if (!settled) settle({ kind: 'closed', ms: elapsed(), reason });
      else if (!closedByUs) options.onEndedLive?.(reason);
      // The library's EOSE timer outlives `close`; firing it now (we are settled) clears it.
      subscription?.receivedEose();
    },
  });
  const timer = setTimeout(() => {
    settle({ kind: 'timeout', ms: elapsed() });
    if (!options.keepOpenOnTimeout) close();
  }, options.maxWaitMs);

  function close(): void {
    if (closedByUs) return;
    closedByUs = true;
    if (!subscription.closed) subscription.close('closed by swarmscope');
    subscription.receivedEose();
  }

  return { subscription, storedEnd, close };
}
