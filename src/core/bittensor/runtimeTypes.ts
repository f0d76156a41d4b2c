import type { PortableType, RuntimeApi, RuntimeTypes, StorageHasher, StorageItem } from './scale/portableTypes';

/** The parts of a decorated @polkadot/types metadata this module reads; typed structurally so no import is needed. */
export interface MetadataLike {
  readonly lookup: { toJSON(): unknown };
  readonly apis?: { toJSON(): unknown };
  readonly pallets: { toJSON(): unknown };
}

/** A pallet's storage as @polkadot/types renders metadata v14+ to JSON. */
interface PalletJson {
  readonly name: string;
  readonly storage: {
    readonly prefix: string;
    readonly items: readonly { readonly name: string; readonly type: { plain?: number; map?: { hashers: StorageHasher[]; key: number; value: number } } }[];
  } | null;
}

/** Extracts the portable registry, runtime APIs (metadata v15) and storage items as plain JSON, once per runtime version. */
export function runtimeTypesFromMetadata(latest: MetadataLike, specVersion: number): RuntimeTypes {
  const lookup = latest.lookup.toJSON() as { types: PortableType[] };
  const apis = (latest.apis?.toJSON() ?? []) as RuntimeApi[];
  const storage: StorageItem[] = [];
  for (const pallet of latest.pallets.toJSON() as PalletJson[]) {
    for (const item of pallet.storage?.items ?? []) {
      const { plain, map } = item.type;
      if (map) storage.push({ pallet: pallet.storage!.prefix, name: item.name, map: { hashers: map.hashers, key: map.key }, value: map.value });
      else if (plain !== undefined) storage.push({ pallet: pallet.storage!.prefix, name: item.name, value: plain });
    }
  }
  return { specVersion, types: lookup.types, apis, storage };
}

/**
 * Builds RuntimeTypes from the hex answer of `Metadata_metadata_at_version(15)` (an `Option<OpaqueMetadata>`) without
 * a connection: for tests, benchmarks and replay. Loads @polkadot/types on call only.
 */
export function runtimeTypesFromOpaqueMetadataHex(hex: string, specVersion: number): RuntimeTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TypeRegistry, Metadata } = require('@polkadot/types') as typeof import('@polkadot/types');
  const bytes = Buffer.from(hex.replace(/^0x/, ''), 'hex');
  if (bytes[0] !== 1) throw new Error('the metadata answer is None');
  const registry = new TypeRegistry();
  const opaque = registry.createType('Bytes', bytes.subarray(1));
  const metadata = new Metadata(registry, opaque.toU8a(true));
  return runtimeTypesFromMetadata(metadata.asLatest as unknown as MetadataLike, specVersion);
}
