import { decode } from 'nostr-tools/nip19';
import { isHex64 } from './nostrEvent';

/** What a pasted event reference names: the id, and for an `nevent1…` the relays it hints at (NIP-19). */
export interface EventReference {
  readonly id: string;
  /** `ws://` / `wss://` relay hints, untrusted (anyone can write an nevent): at most MAX_RELAY_HINTS. */
  readonly relays: readonly string[];
}

/** A hostile nevent could list hundreds of relays; a one-shot fetch asks only the first few. */
export const MAX_RELAY_HINTS = 5;

/** An event id from what a user pastes: 64-hex, `note1…` or `nevent1…` (NIP-19), optionally with `nostr:` (NIP-21). */
export function parseEventId(input: string): string | undefined {
  return parseEventReference(input)?.id;
}

export function parseEventReference(input: string): EventReference | undefined {
  const text = input.trim().replace(/^nostr:/i, '');
  const lower = text.toLowerCase();
  if (isHex64(lower)) return { id: lower, relays: [] };
  if (!/^(note1|nevent1)/.test(lower)) return undefined;
  try {
    const decoded = decode(lower) as { type: string; data: unknown };
    if (decoded.type === 'note' && isHex64(decoded.data)) return { id: decoded.data, relays: [] };
    if (decoded.type !== 'nevent') return undefined;
    const data = decoded.data as { id?: unknown; relays?: unknown };
    if (!isHex64(data.id)) return undefined;
    const hints = Array.isArray(data.relays) ? data.relays.filter((url): url is string => typeof url === 'string' && /^wss?:\/\/\S+$/i.test(url)) : [];
    return { id: data.id, relays: [...new Set(hints)].slice(0, MAX_RELAY_HINTS) };
  } catch {
    return undefined; // not valid bech32
  }
}
