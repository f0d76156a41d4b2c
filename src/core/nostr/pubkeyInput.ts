import { decode } from 'nostr-tools/nip19';
import { isHex64 } from './nostrEvent';

/** A pubkey from what a user types or pastes: 64-hex, `npub1…` or `nprofile1…` (NIP-19), optionally `nostr:` (NIP-21). */
export function parsePubkey(input: string): string | undefined {
  const text = input.trim().replace(/^nostr:/i, '').toLowerCase();
  if (isHex64(text)) return text;
  if (!/^(npub1|nprofile1)/.test(text)) return undefined;
  try {
    const decoded = decode(text) as { type: string; data: unknown };
    const pubkey = decoded.type === 'npub' ? decoded.data : decoded.type === 'nprofile' ? (decoded.data as { pubkey?: unknown }).pubkey : undefined;
    return isHex64(pubkey) ? pubkey : undefined;
  } catch {
    return undefined; // not valid bech32
  }
}
