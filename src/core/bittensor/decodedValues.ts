/**
 * Reading plain values out of what the SCALE decoder returns, where the runtime's types wrap them: newtypes such as
 * NetUid (a one-field struct), fixed-point `{ bits }` structs, and UTF-8 names as Vec<u8>.
 */

/** A u8–u64 number, also when wrapped in a one-field newtype. */
export function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object') {
    const fields = Object.values(value);
    if (fields.length === 1) return asNumber(fields[0]);
  }
  throw new Error(`expected a number, found ${JSON.stringify(value)}`);
}

/** A fixed-point value's raw bits: the integer itself, or the `{ bits }` struct around it. */
export function fixedPointBits(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value && typeof value === 'object' && 'bits' in value) return fixedPointBits((value as { bits: unknown }).bits);
  throw new Error(`expected fixed-point bits, found ${typeof value}`);
}

const utf8 = new TextDecoder();

/** Chain names are UTF-8 bytes (Vec<u8>); untrusted, so only ever shown as text. Empty for anything else. */
export function chainText(bytes: unknown): string {
  if (bytes instanceof Uint8Array) return utf8.decode(bytes);
  if (Array.isArray(bytes)) return utf8.decode(Uint8Array.from(bytes as number[]));
  return '';
}
