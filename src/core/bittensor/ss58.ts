import * as crypto from 'node:crypto';

/**
 * SS58 addresses (Substrate's account text form) without loading @polkadot/util-crypto: base58 of
 * prefix ‖ public key ‖ the first two bytes of blake2b-512("SS58PRE" ‖ prefix ‖ public key). Bittensor uses prefix 42.
 * Results are cached: the same few thousand keys recur in every snapshot. A process's first snapshot meets ~1,100
 * new keys while V8 still interprets this code, so the uncached path does few JS steps: a one-shot hash over a reused
 * buffer, and base58 by BigInt division in 58^9 chunks (native) written out two digits at a time.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;
/** "SS58PRE" ‖ prefix ‖ key, reused for every hash. */
const preimage = Buffer.alloc(7 + 1 + 32);
preimage.write('SS58PRE', 0, 'latin1');

type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Buffer;
// crypto.hash (Node ≥ 20.12) skips the Hash object createHash builds; older runtimes fall back to createHash.
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;
const blake2b512: (data: Uint8Array) => Uint8Array = oneShot
  ? (data) => oneShot('blake2b512', data, 'buffer')
  : (data) => crypto.createHash('blake2b512').update(data).digest();

export function ss58Encode(publicKey: Uint8Array, prefix = 42): string {
  if (publicKey.length !== 32) throw new RangeError(`an account key has 32 bytes, not ${publicKey.length}`);
  if (prefix < 0 || prefix > 63) throw new RangeError('only simple (one-byte) SS58 prefixes are supported');
  const key = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('hex');
  if (prefix === 42) {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
  }
  preimage[7] = prefix;
  preimage.set(publicKey, 8);
  const checksum = blake2b512(preimage);
  const payload = Buffer.allocUnsafe(35);
  payload[0] = prefix;
  payload.set(publicKey, 1);
  payload[33] = checksum[0];
  payload[34] = checksum[1];
  const address = base58(payload);
  if (prefix === 42) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, address);
  }
  return address;
}

const CHUNK = 58n ** 9n; // < 2^53, so each remainder is an exact Number
const PAIRS: readonly string[] = Array.from({ length: 58 * 58 }, (_, i) => ALPHABET[Math.floor(i / 58)] + ALPHABET[i % 58]);

function base58(bytes: Buffer): string {
  let rest = BigInt(`0x${bytes.toString('hex')}`);
  let digits = '';
  while (rest > 0n) {
    const quotient = rest / CHUNK;
    let chunk = Number(rest - quotient * CHUNK);
    rest = quotient;
    let text = '';
    for (let pair = 0; pair < 4; pair++) {
      const low = chunk % 3_364;
      chunk = (chunk - low) / 3_364;
      text = PAIRS[low] + text;
    }
    digits = ALPHABET[chunk] + text + digits;
  }
  // The top chunk is zero-padded with '1's; base58 writes one '1' per leading zero byte instead.
  let start = 0;
  while (start < digits.length && digits[start] === '1') start++;
  let zeros = '';
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) zeros += '1';
  return zeros + digits.slice(start);
}
