/**
 * The runtime's own description of its types (metadata v14+ `PortableRegistry`) and runtime APIs (metadata v15
 * `apis`), as plain JSON. Decoding from this description, instead of from hand-written structs, keeps the
 * decoder right across runtime upgrades that add or reorder fields.
 */
export interface PortableField {
  readonly name: string | null;
  readonly type: number;
  readonly typeName?: string | null;
}

export interface PortableVariant {
  readonly name: string;
  readonly fields: readonly PortableField[];
  readonly index: number;
}

export type PortableDef =
  | { readonly composite: { readonly fields: readonly PortableField[] } }
  | { readonly variant: { readonly variants: readonly PortableVariant[] } }
  | { readonly sequence: { readonly type: number } }
  | { readonly array: { readonly len: number; readonly type: number } }
  | { readonly tuple: readonly number[] }
  | { readonly primitive: string }
  | { readonly compact: { readonly type: number } }
  | { readonly bitSequence: { readonly bitStoreType: number; readonly bitOrderType: number } };

export interface PortableType {
  readonly id: number;
  readonly type: { readonly path: readonly string[]; readonly params?: readonly unknown[]; readonly def: PortableDef };
}

export interface RuntimeApiMethod {
  readonly name: string;
  readonly inputs: readonly { readonly name: string; readonly type: number }[];
  readonly output: number;
}

export interface RuntimeApi {
  readonly name: string;
  readonly methods: readonly RuntimeApiMethod[];
}

/** How a storage map hashes each of its keys (metadata `StorageHasher`). */
export type StorageHasher = 'Blake2_128' | 'Blake2_256' | 'Blake2_128Concat' | 'Twox128' | 'Twox256' | 'Twox64Concat' | 'Identity';

/** One storage item of a pallet: a plain value, or a map with one hasher per key. */
export interface StorageItem {
  readonly pallet: string;
  readonly name: string;
  /** Absent for a plain value. For several keys, `key` is a tuple type with one field per hasher. */
  readonly map?: { readonly hashers: readonly StorageHasher[]; readonly key: number };
  readonly value: number;
}

/** What a decoder needs from one runtime version's metadata. */
export interface RuntimeTypes {
  readonly specVersion: number;
  readonly types: readonly PortableType[];
  readonly apis: readonly RuntimeApi[];
  /** Storage items by pallet, for reads the runtime APIs do not cover (weights, prices). */
  readonly storage: readonly StorageItem[];
}

/** Finds a runtime API method by its metadata names, e.g. ('NeuronInfoRuntimeApi', 'get_neurons_lite'). */
export function findRuntimeMethod(runtime: RuntimeTypes, api: string, method: string): RuntimeApiMethod | undefined {
  return runtime.apis.find((candidate) => candidate.name === api)?.methods.find((candidate) => candidate.name === method);
}

export function findStorageItem(runtime: RuntimeTypes, pallet: string, name: string): StorageItem | undefined {
  return runtime.storage.find((item) => item.pallet === pallet && item.name === name);
}

/** A type of the registry by id (ids are normally the array index; searched when they are not). */
export function typeById(runtime: RuntimeTypes, id: number): PortableType {
  const found = runtime.types[id]?.id === id ? runtime.types[id] : runtime.types.find((type) => type.id === id);
  if (!found) throw new Error(`type ${id} is missing from the metadata`);
  return found;
}
