import { decode } from 'nostr-tools/nip19';
import { isHex64 } from '../nostr/nostrEvent';

/** A public key from what a user types: 64 hex, `npub1…` or `nprofile1…` (NIP-19), optionally `nostr:`; else undefined. */
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
