import { decode } from 'nostr-tools/nip19';
import { isHex64 } from './nostrEvent';

/** An event id from what a user pastes: 64-hex, `note1…` or `nevent1…` (NIP-19), optionally with `nostr:` (NIP-21). */
export function parseEventId(input: string): string | undefined {
  const text = input.trim().replace(/^nostr:/i, '');
  const lower = text.toLowerCase();
  if (isHex64(lower)) return lower;
  if (!/^(note1|nevent1)/.test(lower)) return undefined;
  try {
    const decoded = decode(lower) as { type: string; data: unknown };
    const id = decoded.type === 'note' ? decoded.data : decoded.type === 'nevent' ? (decoded.data as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && isHex64(id)) return id;
  } catch {
    /* not valid bech32 */
  }
  return undefined;
}
