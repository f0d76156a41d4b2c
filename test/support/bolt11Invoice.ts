import { createHash, randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { bech32 } from '@scure/base';

/**
 * Real, decodable, signature-valid BOLT11 invoices made offline, so that a simulated DVM can ask for payment the
 * way a real one does (NIP-90 payment-required feedback carries `["amount", msats, bolt11]`). Nothing is payable:
 * the payment hash is random and no node knows it.
 *
 * Layout (BOLT #11): hrp `ln` + network + amount; data = 35-bit timestamp, tagged fields (type, 10-bit length in
 * 5-bit words, value), then a 65-byte recoverable secp256k1 signature over sha256(hrp bytes ‖ data bytes).
 */

export interface Bolt11Options {
  readonly amountMsats: bigint | number;
  readonly description?: string;
  /** Unix seconds; defaults to now. */
  readonly timestamp?: number;
  readonly expirySeconds?: number;
  /** 32 bytes; random when absent. */
  readonly paymentHash?: Uint8Array;
  /** The payee node key; random when absent. */
  readonly nodePrivateKey?: Uint8Array;
  /** `bc` mainnet (default), `tb` testnet, `bcrt` regtest. */
  readonly network?: 'bc' | 'tb' | 'bcrt';
}

export interface Bolt11Invoice {
  readonly invoice: string;
  readonly paymentHashHex: string;
  readonly payeePubkeyHex: string;
}

// Tag letters map to their bech32 5-bit values (BOLT #11 "Tagged Fields").
const TAG = { paymentHash: 1, paymentSecret: 16, description: 13, expiry: 6 } as const;

export function makeBolt11Invoice(options: Bolt11Options): Bolt11Invoice {
  const amount = BigInt(options.amountMsats);
  if (amount <= 0n) throw new Error('a BOLT11 test invoice needs a positive amount');
  const hrp = `ln${options.network ?? 'bc'}${encodeAmount(amount)}`;
  const paymentHash = options.paymentHash ?? randomBytes(32);
  const nodeKey = options.nodePrivateKey ?? secp256k1.utils.randomPrivateKey();

  const words: number[] = [
    ...intToWords(options.timestamp ?? Math.floor(Date.now() / 1000), 7),
    ...taggedField(TAG.paymentHash, bech32.toWords(paymentHash)),
    ...taggedField(TAG.paymentSecret, bech32.toWords(randomBytes(32))),
    ...taggedField(TAG.description, bech32.toWords(new TextEncoder().encode(options.description ?? 'swarmscope test invoice'))),
  ];
  if (options.expirySeconds !== undefined) words.push(...taggedField(TAG.expiry, intToWords(options.expirySeconds)));

  const signed = Buffer.concat([Buffer.from(hrp, 'utf8'), Buffer.from(wordsToPaddedBytes(words))]);
  const digest = createHash('sha256').update(signed).digest();
  const signature = secp256k1.sign(digest, nodeKey);
  const signatureBytes = new Uint8Array(65);
  signatureBytes.set(signature.toCompactRawBytes(), 0);
  signatureBytes[64] = signature.recovery;
  words.push(...bech32.toWords(signatureBytes));

  // Invoices exceed bech32's 90-character limit by design; BOLT #11 lifts it.
  return {
    invoice: bech32.encode(hrp, words, false),
    paymentHashHex: Buffer.from(paymentHash).toString('hex'),
    payeePubkeyHex: Buffer.from(secp256k1.getPublicKey(nodeKey, true)).toString('hex'),
  };
}

/** Smallest exact multiplier: m = 10^8 msat, u = 10^5, n = 100, p = 0.1 (pico amounts end in 0 per BOLT #11). */
function encodeAmount(msats: bigint): string {
  if (msats % 100_000_000n === 0n) return `${msats / 100_000_000n}m`;
  if (msats % 100_000n === 0n) return `${msats / 100_000n}u`;
  if (msats % 100n === 0n) return `${msats / 100n}n`;
  return `${msats * 10n}p`;
}

function taggedField(type: number, data: readonly number[]): number[] {
  if (data.length >= 1024) throw new Error('a BOLT11 tagged field holds at most 1023 words');
  return [type, data.length >> 5, data.length & 31, ...data];
}

/** Big-endian 5-bit words; `width` pads to a fixed size (the timestamp is always 7 words). */
function intToWords(value: number, width?: number): number[] {
  const words: number[] = [];
  let rest = value;
  do {
    words.unshift(rest % 32);
    rest = Math.floor(rest / 32);
  } while (rest > 0);
  while (width !== undefined && words.length < width) words.unshift(0);
  return words;
}

/** The signed message treats the data words as a bit string, zero-padded to a whole byte. */
function wordsToPaddedBytes(words: readonly number[]): Uint8Array {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const word of words) {
    buffer = (buffer << 5) | word;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) bytes.push((buffer << (8 - bits)) & 0xff);
  return Uint8Array.from(bytes);
}
