import type { Settings } from '../core/config/settings';
import type { NostrStore } from '../core/nostr/nostrStore';
import { parsePubkey } from '../core/nostr/pubkeyInput';
import type { Handlers } from './engineModule';

const unixNow = () => Math.floor(Date.now() / 1000);

/** A pubkey parameter as users give it (hex, npub1…, nprofile1…); anything else is refused, naming the method. */
function pubkeyParam(method: string, value: unknown): string {
  const pubkey = typeof value === 'string' ? parsePubkey(value) : undefined;
  if (!pubkey) throw new Error(`${method}: pubkey must be 64 hex characters, npub1… or nprofile1…`);
  return pubkey;
}

function kindParam(method: string, value: unknown): number {
  const kind = Number(value);
  if (!Number.isInteger(kind) || kind < 0 || kind > 65_535) throw new Error(`${method}: kind must be an integer 0–65535`);
  return kind;
}

/** Optional integer parameter (`now`, `limit`, `perKind`): anything but a finite number is the default. */
function intParam(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : undefined;
}

/**
 * Handlers of the page requests (nostrPagesProtocol.ts). Retention settings go with each series, so that an
 * answer says how far back each resolution reaches under the settings in force.
 */
export function nostrPageHandlers(store: NostrStore, settings: () => Settings): Handlers {
  return {
    'nostr.dvmPage': ({ pubkey, now, window, bucket }) =>
      store.pages.dvmPage(pubkeyParam('nostr.dvmPage', pubkey), { now: intParam(now) ?? unixNow(), retention: settings(), window, bucket }),
    'nostr.kindPage': ({ kind, now, window, bucket }) =>
      store.pages.kindPage(kindParam('nostr.kindPage', kind), { now: intParam(now) ?? unixNow(), retention: settings(), window, bucket }),
    'nostr.userPage': ({ pubkey, limit }) => store.pages.userPage(pubkeyParam('nostr.userPage', pubkey), intParam(limit)),
    'nostr.activity': ({ window, bucket, now, kind, dvm }) => store.metrics.activity({
      window, bucket, now: intParam(now) ?? unixNow(), retention: settings(),
      ...(kind !== undefined ? { kind: kindParam('nostr.activity', kind) } : {}),
      ...(dvm !== undefined ? { dvm: pubkeyParam('nostr.activity', dvm) } : {}),
    }),
    'nostr.recentByKind': ({ perKind }) => store.pages.recentByKind(intParam(perKind)),
    'nostr.contextVmServers': ({ now }) => store.pages.contextVmServers(intParam(now) ?? unixNow()),
  };
}
