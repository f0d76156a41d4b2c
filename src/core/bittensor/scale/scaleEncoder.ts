/** The few SCALE encodings the runtime API calls here need (arguments are small: netuids, uids, index lists). */

export function encodeU8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}

export function encodeU16(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff, (value >>> 8) & 0xff);
}

export function encodeCompact(value: number): Uint8Array {
  if (value < 0 || !Number.isSafeInteger(value)) throw new RangeError(`cannot compact-encode ${value}`);
  if (value < 1 << 6) return Uint8Array.of(value << 2);
  if (value < 1 << 14) return encodeU16((value << 2) | 1);
  if (value < 2 ** 30) {
    const shifted = value * 4 + 2;
    return Uint8Array.of(shifted & 0xff, (shifted >>> 8) & 0xff, (shifted >>> 16) & 0xff, (shifted >>> 24) & 0xff);
  }
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0) {
    bytes.push(rest % 256);
    rest = Math.floor(rest / 256);
  }
  return Uint8Array.of(((bytes.length - 4) << 2) | 3, ...bytes);
}

export function encodeVecU16(values: readonly number[]): Uint8Array {
  return concatBytes([encodeCompact(values.length), ...values.map(encodeU16)]);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error(`not hex: ${hex.slice(0, 20)}…`);
  return new Uint8Array(Buffer.from(clean, 'hex'));
}
