import { typeById, type RuntimeTypes, type StorageHasher, type StorageItem } from './scale/portableTypes';
import { ScaleDecodeError, ScaleReader, type TypeDecoder } from './scale/scaleDecoder';
import { concatBytes, fromHex, toHex } from './scale/scaleEncoder';
import { hashBytesBeforeKey, hashedKey, storagePrefix } from './storageKeys';

/** The one chain call storage reads need (ChainClient has it). */
export interface StorageRpc {
  rpc<T>(method: string, params: unknown[], block?: number | string): Promise<T>;
}

export interface StorageEntry {
  /** The map keys after the ones the read was narrowed by, decoded. */
  readonly keys: readonly unknown[];
  readonly value: unknown;
}

/** Keys per `state_getKeysPaged` page (nodes cap it at 1,000). */
const KEYS_PER_PAGE = 1_000;
/** Keys per `state_queryStorageAt`: keeps one answer well under a node's response size limit. */
const KEYS_PER_QUERY = 256;

/**
 * Reads every entry of a storage map under a key prefix at one block: the keys page by page, then their values in
 * batches, each decoded with the runtime's own types and checked to use every byte.
 */
export async function readStorageMap(
  rpc: StorageRpc,
  decoder: TypeDecoder,
  item: StorageItem,
  leadingKeys: readonly Uint8Array[],
  at: { block: number; hash: string },
): Promise<StorageEntry[]> {
  if (!item.map) throw new Error(`${item.pallet}.${item.name} is not a map`);
  const hashers = item.map.hashers;
  if (leadingKeys.length >= hashers.length) throw new Error(`${item.pallet}.${item.name} has ${hashers.length} keys; narrow it by fewer`);
  const keyTypes = mapKeyTypes(decoder.runtime, item);
  const hashedLeading = await Promise.all(leadingKeys.map((key, i) => hashedKey(hashers[i], key)));
  const prefix = toHex(concatBytes([await storagePrefix(item), ...hashedLeading]));

  const keys: string[] = [];
  for (let start = prefix; ;) {
    const page = await rpc.rpc<string[]>('state_getKeysPaged', [prefix, KEYS_PER_PAGE, start, at.hash], at.block);
    keys.push(...page);
    if (page.length < KEYS_PER_PAGE) break;
    start = page[page.length - 1];
  }

  const entries: StorageEntry[] = [];
  const what = `${item.pallet}.${item.name}`;
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    const batch = keys.slice(i, i + KEYS_PER_QUERY);
    const answer = await rpc.rpc<{ changes: [string, string | null][] }[]>('state_queryStorageAt', [batch, at.hash], at.block);
    for (const [key, value] of answer.flatMap((set) => set.changes)) {
      // A listed key without a value was removed between the two calls (the head moved on): nothing to read.
      if (value === null) continue;
      const suffix = fromHex(key).subarray((prefix.length - 2) / 2);
      entries.push({ keys: decodeKeySuffix(decoder, suffix, hashers.slice(leadingKeys.length), keyTypes.slice(leadingKeys.length), what), value: decoder.decodeExact(item.value, fromHex(value), what) });
    }
  }
  return entries;
}

/** The type of each key of a map: the key type itself for one hasher, the tuple's fields for several. */
function mapKeyTypes(runtime: RuntimeTypes, item: StorageItem): number[] {
  const { hashers, key } = item.map!;
  if (hashers.length === 1) return [key];
  const def = typeById(runtime, key).type.def;
  if (!('tuple' in def) || def.tuple.length !== hashers.length) throw new ScaleDecodeError(`${item.pallet}.${item.name}: key type ${key} is not a ${hashers.length}-tuple`);
  return [...def.tuple];
}

function decodeKeySuffix(decoder: TypeDecoder, suffix: Uint8Array, hashers: readonly StorageHasher[], types: readonly number[], what: string): unknown[] {
  const reader = new ScaleReader(suffix);
  const keys = hashers.map((hasher, i) => {
    const skip = hashBytesBeforeKey(hasher);
    if (skip === null) throw new ScaleDecodeError(`${what}: key ${i} uses ${hasher}, which does not keep the key`);
    reader.slice(skip);
    return decoder.decoder(types[i])(reader);
  });
  if (reader.remaining !== 0) throw new ScaleDecodeError(`${what}: a storage key has ${reader.remaining} bytes its key types did not use`);
  return keys;
}
