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

/** What a decoder needs from one runtime version's metadata. */
export interface RuntimeTypes {
  readonly specVersion: number;
  readonly types: readonly PortableType[];
  readonly apis: readonly RuntimeApi[];
}

/** Finds a runtime API method by its metadata names, e.g. ('NeuronInfoRuntimeApi', 'get_neurons_lite'). */
export function findRuntimeMethod(runtime: RuntimeTypes, api: string, method: string): RuntimeApiMethod | undefined {
  return runtime.apis.find((candidate) => candidate.name === api)?.methods.find((candidate) => candidate.name === method);
}
