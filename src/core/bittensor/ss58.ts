import { createHash } from 'node:crypto';

/**
 * SS58 addresses (Substrate's account text form) without loading @polkadot/util-crypto: base58 of
 * prefix ‖ public key ‖ the first two bytes of blake2b-512("SS58PRE" ‖ prefix ‖ public key). Bittensor uses prefix 42.
 * Results are cached: the same few thousand keys recur in every snapshot.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const PREFIX = Buffer.from('SS58PRE');
const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

export function ss58Encode(publicKey: Uint8Array, prefix = 42): string {
  if (publicKey.length !== 32) throw new RangeError(`an account key has 32 bytes, not ${publicKey.length}`);
  if (prefix < 0 || prefix > 63) throw new RangeError('only simple (one-byte) SS58 prefixes are supported');
  const key = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('hex');
  const cached = cache.get(key);
  if (cached !== undefined && prefix === 42) return cached;
  const body = Buffer.concat([Uint8Array.of(prefix), publicKey]);
  const checksum = createHash('blake2b512').update(PREFIX).update(body).digest().subarray(0, 2);
  const address = base58(Buffer.concat([body, checksum]));
  if (prefix === 42) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, address);
  }
  return address;
}

/** Base58 by repeated division of the byte array (no bigint: this runs for every new key of a snapshot). */
function base58(bytes: Uint8Array): string {
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += digits[i] << 8;
      digits[i] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '';
  for (const byte of bytes) {
    if (byte !== 0) break;
    out += '1';
  }
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i]];
  return out;
}
