/** Fixed-point and unit conversions of subtensor values (see DESIGN.md "Bittensor: definitions"). */

const TWO_POW_32 = 2 ** 32;
const TWO_POW_64 = 2 ** 64;

/** u16 scores (rank, trust, consensus, incentive, dividends, validator trust) → 0..1. */
export function u16ToUnit(value: number): number {
  return value / 65_535;
}

/** RAO → TAO (or alpha units): 1e9 RAO each. */
export function raoToTao(rao: number | bigint): number {
  if (typeof rao === 'bigint') return Number(rao / 1_000_000_000n) + Number(rao % 1_000_000_000n) / 1e9;
  return rao / 1e9;
}

/** substrate-fixed I96F32: a signed 128-bit integer with 32 fractional bits. */
export function i96f32ToNumber(bits: bigint): number {
  return Number(bits >> 32n) + Number(bits & 0xffff_ffffn) / TWO_POW_32;
}

/** substrate-fixed U64F64: an unsigned 128-bit integer with 64 fractional bits. */
export function u64f64ToNumber(bits: bigint): number {
  return Number(bits >> 64n) + Number(bits & 0xffff_ffff_ffff_ffffn) / TWO_POW_64;
}

/**
 * AxonInfo.ip is a u128 with ip_type 4 or 6. IPv4 uses the low 32 bits (dotted quad); IPv6 is printed per
 * RFC 5952 (lowercase, the longest run of two or more zero groups shortened to "::").
 */
export function ipToText(ip: bigint | number, ipType: number): string {
  const value = BigInt(ip);
  if (ipType === 4) {
    if (value > 0xffff_ffffn) throw new RangeError(`IPv4 address out of range: ${value}`);
    const n = Number(value);
    return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
  }
  if (ipType === 6) {
    if (value >> 128n !== 0n || value < 0n) throw new RangeError(`IPv6 address out of range: ${value}`);
    const groups: number[] = [];
    for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
    let bestStart = -1;
    let bestLength = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === 0) j++;
      if (j - i > bestLength && j - i >= 2) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    const hex = groups.map((group) => group.toString(16));
    if (bestStart < 0) return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
  }
  throw new RangeError(`unknown ip_type ${ipType}`);
}
