import { inspect } from 'node:util';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { decode, npubEncode } from 'nostr-tools/nip19';
import { finalizeEvent, generateSecretKey, getPublicKey, type EventTemplate } from 'nostr-tools/pure';
import type { NostrEvent } from '../nostr/eventTypes';

/** How an encrypted NIP-90 payload is made: NIP-04 (AES-CBC, `?iv=`) or NIP-44 v2. */
export type EncryptionSchemeName = 'nip04' | 'nip44';

/** Longest payload we try to decrypt: the ingest drops events over 64 KiB anyway, and NIP-44 asks callers to cap it. */
const MAX_PAYLOAD = 96 * 1024;

/**
 * A Nostr secret key that cannot be printed. The bytes live in a private field: `String(key)`, `JSON.stringify`,
 * `util.inspect` / `console.log`, structured clones (worker messages) and `Object.keys` show only the npub, and
 * nothing returns the bytes. Whatever needs the key (signing, NIP-04 / NIP-44) is a method here, so the secret never
 * travels to a log line, an error text, an engine request or the database (DESIGN.md "Keys").
 */
export class SecretKey {
  readonly #bytes: Uint8Array;
  /** Hex public key (NIP-01). */
  readonly publicKey: string;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.publicKey = getPublicKey(bytes);
  }

  /** A fresh random key (for one job, or a first use). */
  static generate(): SecretKey {
    return new SecretKey(generateSecretKey());
  }

  /**
   * From `nsec1…` (NIP-19) or 64 hex characters, surrounding whitespace ignored. The error never quotes the text:
   * it may be a real key with a typo.
   */
  static parse(text: string): SecretKey {
    const trimmed = text.trim();
    let bytes: Uint8Array | undefined;
    if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
      bytes = Uint8Array.from(Buffer.from(trimmed, 'hex'));
    } else if (trimmed.toLowerCase().startsWith('nsec1')) {
      try {
        const decoded = decode(trimmed as `nsec1${string}`);
        if (decoded.type === 'nsec') bytes = Uint8Array.from(decoded.data);
      } catch {
        throw new Error('the secret key is not a valid nsec (its checksum or length is wrong)');
      }
    }
    if (!bytes) throw new Error('the secret key must be an nsec1… or 64 hex characters');
    try {
      return new SecretKey(bytes);
    } catch {
      throw new Error('the secret key is out of range for secp256k1');
    }
  }

  get npub(): string {
    return npubEncode(this.publicKey);
  }

  /** Signs (NIP-01 id + BIP-340) and returns a plain JSON copy: nostr-tools' "verified" marker stays behind. */
  sign(template: EventTemplate): NostrEvent {
    return JSON.parse(JSON.stringify(finalizeEvent(template, this.#bytes))) as NostrEvent;
  }

  encrypt(scheme: EncryptionSchemeName, peerPubkey: string, plaintext: string): string {
    return scheme === 'nip44'
      ? nip44.encrypt(plaintext, nip44.getConversationKey(this.#bytes, peerPubkey))
      : nip04.encrypt(this.#bytes, peerPubkey, plaintext);
  }

  /** Throws when the payload is not for this key and peer (or is damaged); the error says which scheme failed, no more. */
  decrypt(scheme: EncryptionSchemeName, peerPubkey: string, payload: string): string {
    if (payload.length > MAX_PAYLOAD) throw new Error(`the ${scheme} payload is larger than ${MAX_PAYLOAD} characters`);
    try {
      return scheme === 'nip44'
        ? nip44.decrypt(payload, nip44.getConversationKey(this.#bytes, peerPubkey))
        : nip04.decrypt(this.#bytes, peerPubkey, payload);
    } catch {
      throw new Error(`could not decrypt the ${scheme} payload with this key`);
    }
  }

  /** Overwrites the bytes; a wiped key signs and decrypts nothing that anyone can read. */
  wipe(): void {
    this.#bytes.fill(0);
  }

  toString(): string {
    return `SecretKey(${this.npub})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
