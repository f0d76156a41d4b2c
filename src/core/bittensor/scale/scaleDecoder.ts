import type { PortableDef, PortableField, PortableType, RuntimeTypes } from './portableTypes';

/**
 * A SCALE decoder driven by the runtime's PortableRegistry. Each type id is compiled once into a closure, so a
 * 1,024-neuron answer decodes in a few milliseconds (the generic codec classes of @polkadot/types take ~100× as long).
 *
 * Value shapes: named composites → objects with the metadata's field names (snake_case); one-field unnamed
 * composites (AccountId32, newtypes) → their inner value; tuples → arrays; `Option<T>` → T | null;
 * `[u8; N]` and `Vec<u8>` → Uint8Array; integers up to 64 bits → number (u64 above 2^53 loses precision beyond
 * the ~1-RAO range, which no figure here needs); 128/256-bit integers → bigint; other enums → {Variant: fields}
 * or the variant's name when it has no fields.
 */

export class ScaleDecodeError extends Error {}

/**
 * A cursor over SCALE bytes. The hot reads (u8, u16, u32, compact) check bounds inline and assemble integers from
 * bytes rather than calling helpers: a first decode in a fresh process runs in V8's interpreter, where every call
 * counts, and a metagraph is ~60,000 of these reads.
 */
export class ScaleReader {
  offset = 0;
  private readonly view: DataView;
  private readonly length: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.length;
  }

  private need(count: number): void {
    if (this.offset + count > this.length) this.outOfBytes(count);
  }

  private outOfBytes(count: number): never {
    throw new ScaleDecodeError(`ran out of bytes at offset ${this.offset} (needed ${count}, ${this.length - this.offset} left)`);
  }

  u8(): number {
    const at = this.offset;
    if (at >= this.length) this.outOfBytes(1);
    this.offset = at + 1;
    return this.bytes[at];
  }

  u16(): number {
    const at = this.offset;
    if (at + 2 > this.length) this.outOfBytes(2);
    this.offset = at + 2;
    return this.bytes[at] | (this.bytes[at + 1] << 8);
  }

  u32(): number {
    const at = this.offset;
    if (at + 4 > this.length) this.outOfBytes(4);
    this.offset = at + 4;
    const bytes = this.bytes;
    return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x100_0000;
  }

  u64(): number {
    const at = this.offset;
    if (at + 8 > this.length) this.outOfBytes(8);
    this.offset = at + 8;
    const bytes = this.bytes;
    const low = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x100_0000;
    const high = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16)) + bytes[at + 7] * 0x100_0000;
    return high * 0x1_0000_0000 + low;
  }

  /**
   * Unsigned little-endian integer of `size` bytes as a bigint (u128, u256). Read in 64-bit words: a byte-wise
   * BigInt loop allocates ~50 BigInts per u128 and dominated cold decodes (every axon IP is a u128).
   */
  bigUint(size: number): bigint {
    this.need(size);
    const start = this.offset;
    this.offset += size;
    if (size % 8 !== 0) {
      let value = 0n;
      for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[start + i]);
      return value;
    }
    let value = this.view.getBigUint64(start + size - 8, true);
    for (let at = start + size - 16; at >= start; at -= 8) {
      const word = this.view.getBigUint64(at, true);
      value = value === 0n ? word : (value << 64n) | word;
    }
    return value;
  }

  bigInt(size: number): bigint {
    const unsigned = this.bigUint(size);
    const bits = BigInt(size * 8);
    return unsigned >= 1n << (bits - 1n) ? unsigned - (1n << bits) : unsigned;
  }

  /** A view (not a copy) of the next `count` bytes. Built with the constructor: `subarray` looks up a species constructor each call and was a tenth of a cold decode. */
  slice(count: number): Uint8Array {
    this.need(count);
    const out = new Uint8Array(this.bytes.buffer, this.bytes.byteOffset + this.offset, count);
    this.offset += count;
    return out;
  }

  /** SCALE compact integer as a number (exact up to 2^53). */
  compact(): number {
    const at = this.offset;
    if (at >= this.length) this.outOfBytes(1);
    const bytes = this.bytes;
    const first = bytes[at];
    switch (first & 0b11) {
      case 0:
        this.offset = at + 1;
        return first >>> 2;
      case 1:
        if (at + 2 > this.length) this.outOfBytes(2);
        this.offset = at + 2;
        return (first | (bytes[at + 1] << 8)) >>> 2;
      case 2:
        if (at + 4 > this.length) this.outOfBytes(4);
        this.offset = at + 4;
        return ((first | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) >>> 2) + bytes[at + 3] * 0x40_0000;
      default: {
        const length = (first >>> 2) + 4;
        this.offset = at + 1;
        if (length > 8) return Number(this.bigUint(length));
        this.need(length);
        let value = 0;
        for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[this.offset + i];
        this.offset += length;
        return value;
      }
    }
  }

  compactBig(): bigint {
    const first = this.bytes[this.offset];
    if ((first & 0b11) !== 3) return BigInt(this.compact());
    this.offset += 1;
    return this.bigUint((first >>> 2) + 4);
  }

  get remaining(): number {
    return this.length - this.offset;
  }
}

type Decode = (reader: ScaleReader) => unknown;

/** Compiled decoders are per runtime version: every TypeDecoder over the same RuntimeTypes object shares them. */
interface CompiledRuntime {
  readonly byId: Map<number, PortableType>;
  readonly compiled: Map<number, Decode>;
}

const compiledRuntimes = new WeakMap<RuntimeTypes, CompiledRuntime>();

export class TypeDecoder {
  private readonly compiled: Map<number, Decode>;
  private readonly byId: Map<number, PortableType>;

  constructor(readonly runtime: RuntimeTypes) {
    let shared = compiledRuntimes.get(runtime);
    if (!shared) {
      shared = { byId: new Map(runtime.types.map((type) => [type.id, type])), compiled: new Map() };
      compiledRuntimes.set(runtime, shared);
    }
    this.byId = shared.byId;
    this.compiled = shared.compiled;
  }

  /** Decodes `bytes` as type `typeId` and insists that every byte was used (a partial decode is garbage). */
  decodeExact(typeId: number, bytes: Uint8Array, what: string): unknown {
    const reader = new ScaleReader(bytes);
    let value: unknown;
    try {
      value = this.decoder(typeId)(reader);
    } catch (error) {
      throw new ScaleDecodeError(`${what}: ${(error as Error).message} (spec ${this.runtime.specVersion})`);
    }
    if (reader.remaining !== 0) {
      throw new ScaleDecodeError(
        `${what}: the answer has ${bytes.length} bytes but its type used ${reader.offset}; it is not this runtime's format ` +
          `(older runtimes wrapped answers in Vec<u8>), so it was rejected rather than read as garbage (spec ${this.runtime.specVersion})`,
      );
    }
    return value;
  }

  decoder(typeId: number): Decode {
    const existing = this.compiled.get(typeId);
    if (existing) return existing;
    // A forward reference for recursive types; replaced by the real closure below.
    const type = this.byId.get(typeId);
    if (!type) throw new ScaleDecodeError(`type ${typeId} is not in the metadata`);
    let real: Decode | undefined;
    this.compiled.set(typeId, (reader) => real!(reader));
    try {
      real = this.compile(type.type.def, type.type.path);
    } catch (error) {
      this.compiled.delete(typeId);
      throw error;
    }
    this.compiled.set(typeId, real);
    return real;
  }

  private isU8(typeId: number): boolean {
    const def = this.byId.get(typeId)?.type.def;
    return !!def && 'primitive' in def && def.primitive === 'U8';
  }

  private compile(def: PortableDef, path: readonly string[]): Decode {
    if ('primitive' in def) return primitive(def.primitive);
    if ('compact' in def) {
      const inner = this.byId.get(def.compact.type)?.type.def;
      const wide = inner && 'primitive' in inner && (inner.primitive === 'U128' || inner.primitive === 'U256');
      return wide ? (reader) => reader.compactBig() : (reader) => reader.compact();
    }
    if ('sequence' in def) {
      if (this.isU8(def.sequence.type)) return (reader) => reader.slice(reader.compact());
      const item = this.decoder(def.sequence.type);
      return (reader) => {
        const length = reader.compact();
        if (length > reader.remaining) throw new ScaleDecodeError(`a sequence claims ${length} items with ${reader.remaining} bytes left`);
        const out = new Array<unknown>(length);
        for (let i = 0; i < length; i++) out[i] = item(reader);
        return out;
      };
    }
    if ('array' in def) {
      const { len, type } = def.array;
      if (this.isU8(type)) return (reader) => reader.slice(len);
      const item = this.decoder(type);
      return (reader) => {
        const out = new Array<unknown>(len);
        for (let i = 0; i < len; i++) out[i] = item(reader);
        return out;
      };
    }
    if ('tuple' in def) {
      const items = def.tuple.map((id) => this.decoder(id));
      if (items.length === 0) return () => null;
      return (reader) => {
        const out = new Array<unknown>(items.length);
        for (let i = 0; i < items.length; i++) out[i] = items[i](reader);
        return out;
      };
    }
    if ('composite' in def) return this.composite(def.composite.fields);
    if ('variant' in def) {
      const variants = new Map(def.variant.variants.map((variant) => [variant.index, variant]));
      if (path.length === 1 && path[0] === 'Option') {
        const some = def.variant.variants.find((variant) => variant.name === 'Some');
        const inner = some ? this.decoder(some.fields[0].type) : () => null;
        return (reader) => {
          const tag = reader.u8();
          if (tag === 0) return null;
          if (tag === 1) return inner(reader);
          throw new ScaleDecodeError(`invalid Option tag ${tag} at offset ${reader.offset - 1}`);
        };
      }
      const bodies = new Map([...variants].map(([index, variant]) => [index, variant.fields.length === 0 ? undefined : this.composite(variant.fields)]));
      return (reader) => {
        const index = reader.u8();
        const variant = variants.get(index);
        if (!variant) throw new ScaleDecodeError(`unknown variant ${index} of ${path.join('::') || 'an enum'} at offset ${reader.offset - 1}`);
        const body = bodies.get(index);
        return body ? { [variant.name]: body(reader) } : variant.name;
      };
    }
    if ('bitSequence' in def) {
      return (reader) => reader.slice(Math.ceil(reader.compact() / 8));
    }
    throw new ScaleDecodeError(`unsupported type definition ${JSON.stringify(def)}`);
  }

  private composite(fields: readonly PortableField[]): Decode {
    if (fields.length === 0) return () => null;
    const decoders = fields.map((field) => this.decoder(field.type));
    if (fields.length === 1 && !fields[0].name) return decoders[0];
    if (!fields[0].name) {
      return (reader) => {
        const out = new Array<unknown>(decoders.length);
        for (let i = 0; i < decoders.length; i++) out[i] = decoders[i](reader);
        return out;
      };
    }
    const names = fields.map((field) => field.name as string);
    return (reader) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < decoders.length; i++) out[names[i]] = decoders[i](reader);
      return out;
    };
  }
}

function primitive(name: string): Decode {
  switch (name) {
    case 'Bool':
      return (reader) => {
        const byte = reader.u8();
        if (byte > 1) throw new ScaleDecodeError(`invalid bool ${byte} at offset ${reader.offset - 1}`);
        return byte === 1;
      };
    case 'U8': return (reader) => reader.u8();
    case 'U16': return (reader) => reader.u16();
    case 'U32': return (reader) => reader.u32();
    case 'U64': return (reader) => reader.u64();
    case 'U128': return (reader) => reader.bigUint(16);
    case 'U256': return (reader) => reader.bigUint(32);
    case 'I8': return (reader) => (reader.u8() << 24) >> 24;
    case 'I16': return (reader) => (reader.u16() << 16) >> 16;
    case 'I32': return (reader) => reader.u32() | 0;
    case 'I64': return (reader) => Number(reader.bigInt(8));
    case 'I128': return (reader) => reader.bigInt(16);
    case 'I256': return (reader) => reader.bigInt(32);
    case 'Char': return (reader) => String.fromCodePoint(reader.u32());
    case 'Str': return (reader) => new TextDecoder().decode(reader.slice(reader.compact()));
    default:
      return () => {
        throw new ScaleDecodeError(`unsupported primitive ${name}`);
      };
  }
}
