import type { StorageHasher, StorageItem } from './scale/portableTypes';
import { concatBytes } from './scale/scaleEncoder';

/**
 * Substrate storage keys: twox128(pallet prefix) ++ twox128(item name) ++ one hashed key per map key. The hashing
 * comes from @polkadot/util-crypto, loaded on first use only (the engine loads it with @polkadot/api anyway).
 */

type UtilCrypto = typeof import('@polkadot/util-crypto');
let utilCrypto: Promise<UtilCrypto> | undefined;

function loadUtilCrypto(): Promise<UtilCrypto> {
  utilCrypto ??= import('@polkadot/util-crypto');
  return utilCrypto;
}

/** The 32-byte prefix under which every entry of `item` lives. */
export async function storagePrefix(item: Pick<StorageItem, 'pallet' | 'name'>): Promise<Uint8Array> {
  const { xxhashAsU8a } = await loadUtilCrypto();
  return concatBytes([xxhashAsU8a(item.pallet, 128), xxhashAsU8a(item.name, 128)]);
}

/** One encoded map key, hashed as the map's hasher for that position says. */
export async function hashedKey(hasher: StorageHasher, encodedKey: Uint8Array): Promise<Uint8Array> {
  const { blake2AsU8a, xxhashAsU8a } = await loadUtilCrypto();
  switch (hasher) {
    case 'Identity': return encodedKey;
    case 'Twox64Concat': return concatBytes([xxhashAsU8a(encodedKey, 64), encodedKey]);
    case 'Blake2_128Concat': return concatBytes([blake2AsU8a(encodedKey, 128), encodedKey]);
    case 'Twox128': return xxhashAsU8a(encodedKey, 128);
    case 'Twox256': return xxhashAsU8a(encodedKey, 256);
    case 'Blake2_128': return blake2AsU8a(encodedKey, 128);
    case 'Blake2_256': return blake2AsU8a(encodedKey, 256);
  }
}

/**
 * Bytes of hash that precede the key itself in a stored key; null for hashers that do not keep the key (the key
 * cannot be read back from the storage key then).
 */
export function hashBytesBeforeKey(hasher: StorageHasher): number | null {
  switch (hasher) {
    case 'Identity': return 0;
    case 'Twox64Concat': return 8;
    case 'Blake2_128Concat': return 16;
    default: return null;
  }
}
