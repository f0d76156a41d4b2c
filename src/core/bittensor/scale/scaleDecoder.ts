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

export class ScaleReader {
  offset = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): void {
    if (this.offset + count > this.bytes.length) {
      throw new ScaleDecodeError(`ran out of bytes at offset ${this.offset} (needed ${count}, ${this.bytes.length - this.offset} left)`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++];
  }

  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  u64(): number {
    this.need(8);
    const low = this.view.getUint32(this.offset, true);
    const high = this.view.getUint32(this.offset + 4, true);
    this.offset += 8;
    return high * 0x1_0000_0000 + low;
  }

  /** Unsigned little-endian integer of `size` bytes as a bigint (u128, u256). */
  bigUint(size: number): bigint {
    this.need(size);
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[this.offset + i]);
    this.offset += size;
    return value;
  }

  bigInt(size: number): bigint {
    const unsigned = this.bigUint(size);
    const bits = BigInt(size * 8);
    return unsigned >= 1n << (bits - 1n) ? unsigned - (1n << bits) : unsigned;
  }

  slice(count: number): Uint8Array {
    this.need(count);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** SCALE compact integer as a number (exact up to 2^53). */
  compact(): number {
    const first = this.u8();
    const mode = first & 0b11;
    if (mode === 0) return first >>> 2;
    if (mode === 1) return ((this.u8() << 8) | first) >>> 2;
    if (mode === 2) {
      this.offset -= 1;
      return this.u32() >>> 2;
    }
    const length = (first >>> 2) + 4;
    if (length > 8) return Number(this.bigUint(length));
    this.need(length);
    let value = 0;
    for (let i = 0; i < length; i++) value += this.bytes[this.offset + i] * 2 ** (8 * i);
    this.offset += length;
    return value;
  }

  compactBig(): bigint {
    const first = this.bytes[this.offset];
    if ((first & 0b11) !== 3) return BigInt(this.compact());
    this.offset += 1;
    return this.bigUint((first >>> 2) + 4);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }
}

type Decode = (reader: ScaleReader) => unknown;

export class TypeDecoder {
  private readonly compiled = new Map<number, Decode>();
  private readonly byId: Map<number, PortableType>;

  constructor(readonly runtime: RuntimeTypes) {
    this.byId = new Map(runtime.types.map((type) => [type.id, type]));
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
    let real: Decode | undefined;
    this.compiled.set(typeId, (reader) => real!(reader));
    const type = this.byId.get(typeId);
    if (!type) throw new ScaleDecodeError(`type ${typeId} is not in the metadata`);
    real = this.compile(type.type.def, type.type.path);
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
      return (reader) => items.map((item) => item(reader));
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
    if (!fields[0].name) return (reader) => decoders.map((decode) => decode(reader));
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
