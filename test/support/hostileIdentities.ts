import { findRuntimeMethod, typeById, type RuntimeTypes } from '../../src/core/bittensor/scale/portableTypes';
import { ScaleReader, TypeDecoder } from '../../src/core/bittensor/scale/scaleDecoder';
import { concatBytes, encodeCompact, fromHex, toHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { recordedRuntime } from './replayNode';

/**
 * Chain-chosen names made hostile at the source: a metagraph runtime-API answer
 * (SubnetInfoRuntimeApi_get_selective_mechagraph, the call the engine reads names from — see metagraphDecoder.ts)
 * re-encoded with the subnet's `name`, its identity's `subnet_name` and every UID's identity `name` replaced, every
 * other field kept byte for byte. The encoding follows the runtime's own type registry, so the engine decodes the
 * answer as it would a real node's (it checks that every byte was used).
 */

export const METAGRAPH_CALL = 'SubnetInfoRuntimeApi_get_selective_mechagraph';

export interface HostileNames {
  readonly subnet: string;
  readonly identity: (uid: number) => string;
}

type Raw = Record<string, unknown>;

const utf8 = new TextEncoder();

export function withHostileNames(runtime: RuntimeTypes, answer: Uint8Array, names: HostileNames): Uint8Array {
  const method = findRuntimeMethod(runtime, 'SubnetInfoRuntimeApi', 'get_selective_mechagraph');
  if (!method) throw new Error(`the runtime (spec ${runtime.specVersion}) has no ${METAGRAPH_CALL}`);
  if (answer[0] !== 1) return answer; // None: no such subnet, nothing to name.
  const decoder = new TypeDecoder(runtime);
  const encoder = new RegistryEncoder(runtime);
  const fields = compositeFields(runtime, someType(runtime, method.output));
  const reader = new ScaleReader(answer);
  reader.offset = 1;
  const parts: Uint8Array[] = [answer.subarray(0, 1)];
  for (const field of fields) {
    const start = reader.offset;
    const value = decoder.decoder(field.type)(reader);
    const kept = answer.subarray(start, reader.offset);
    if (value === null) {
      parts.push(kept);
    } else if (field.name === 'name') {
      parts.push(encoder.encode(field.type, utf8.encode(names.subnet)));
    } else if (field.name === 'identity') {
      parts.push(encoder.encode(field.type, { ...(value as Raw), subnet_name: utf8.encode(names.subnet) }));
    } else if (field.name === 'identities') {
      const entryType = identityEntryType(runtime, field.type);
      const renamed = (value as (Raw | null)[]).map((entry, uid) => ({ ...(entry ?? encoder.emptyComposite(entryType)), name: utf8.encode(names.identity(uid)) }));
      parts.push(encoder.encode(field.type, renamed));
    } else {
      parts.push(kept);
    }
  }
  if (reader.remaining !== 0) throw new Error(`${METAGRAPH_CALL}: ${reader.remaining} bytes left after the last field`);
  return concatBytes(parts);
}

/** For xssRpcProxy, over the replay node (its runtime): the `state_call` answer of the metagraph call rewritten, any other answer unchanged. */
export function hostileMetagraphAnswer(names: HostileNames): (method: string, params: readonly unknown[], result: unknown) => unknown {
  return (method, params, result) => {
    if (method !== 'state_call' || params[0] !== METAGRAPH_CALL || typeof result !== 'string') return result;
    return toHex(withHostileNames(recordedRuntime(), fromHex(result), names));
  };
}

function someType(runtime: RuntimeTypes, optionType: number): number {
  const def = typeById(runtime, optionType).type.def;
  const some = 'variant' in def ? def.variant.variants.find((variant) => variant.name === 'Some') : undefined;
  if (!some) throw new Error(`type ${optionType} is not an Option`);
  return some.fields[0].type;
}

function compositeFields(runtime: RuntimeTypes, id: number) {
  const def = typeById(runtime, id).type.def;
  if (!('composite' in def)) throw new Error(`type ${id} is not a struct`);
  return def.composite.fields;
}

/** Option<Vec<Option<ChainIdentity>>> → ChainIdentity. */
function identityEntryType(runtime: RuntimeTypes, id: number): number {
  const vec = typeById(runtime, someType(runtime, id)).type.def;
  if (!('sequence' in vec)) throw new Error(`identities (type ${id}) is not an optional list`);
  return someType(runtime, vec.sequence.type);
}

/**
 * SCALE encoding by the type registry, for the value shapes scaleDecoder.ts produces and only the kinds these names
 * need (Option, structs, lists, bytes, Compact<u8>, u8); anything else throws rather than write wrong bytes.
 */
class RegistryEncoder {
  constructor(private readonly runtime: RuntimeTypes) {}

  encode(id: number, value: unknown): Uint8Array {
    const type = typeById(this.runtime, id).type;
    const def = type.def;
    if ('variant' in def && type.path.join('::') === 'Option') {
      if (value === null || value === undefined) return Uint8Array.of(0);
      return concatBytes([Uint8Array.of(1), this.encode(someType(this.runtime, id), value)]);
    }
    if ('composite' in def) {
      if (def.composite.fields.length === 1 && def.composite.fields[0].name === null) return this.encode(def.composite.fields[0].type, value);
      return concatBytes(def.composite.fields.map((field) => this.encode(field.type, (value as Raw)[field.name!])));
    }
    if ('sequence' in def) {
      const items = value instanceof Uint8Array ? [...value] : (value as unknown[]);
      return concatBytes([encodeCompact(items.length), ...items.map((item) => this.encode(def.sequence.type, item))]);
    }
    if ('compact' in def) return encodeCompact(value as number);
    if ('primitive' in def && def.primitive === 'U8') return Uint8Array.of(value as number);
    throw new Error(`cannot encode type ${id} (${type.path.join('::') || Object.keys(def)[0]})`);
  }

  /** A struct whose every field is an empty list (identity structs are all Vec<u8>). */
  emptyComposite(id: number): Raw {
    return Object.fromEntries(compositeFields(this.runtime, id).map((field) => [field.name, new Uint8Array(0)]));
  }
}
