/**
 * Response-time histogram slots for window percentiles (DESIGN.md "Response time": medians and p90).
 * Whole seconds below 64 s each get their own slot, so the common case is exact; above, 16 slots per doubling
 * (log-spaced, each ≤ 4.4 % wide), so an hour's or a day's histogram has at most a few hundred slots whatever
 * the traffic. A percentile read from slots is an estimate: the smallest value of the slot the nearest rank falls in.
 */
const EXACT_BELOW = 64;
const SLOTS_PER_DOUBLING = 16;

export function latencySlot(seconds: number): number {
  const value = Math.max(0, Math.floor(seconds));
  if (value < EXACT_BELOW) return value;
  return EXACT_BELOW + Math.floor(Math.log2(value / EXACT_BELOW) * SLOTS_PER_DOUBLING);
}

/** The smallest whole second that falls in `slot`. */
export function slotFloor(slot: number): number {
  if (slot < EXACT_BELOW) return slot;
  let value = Math.ceil(EXACT_BELOW * 2 ** ((slot - EXACT_BELOW) / SLOTS_PER_DOUBLING));
  // Floating point can land one off at a slot's edge: step to the first value latencySlot puts in it.
  while (value > EXACT_BELOW && latencySlot(value - 1) === slot) value--;
  while (latencySlot(value) < slot) value++;
  return value;
}

/**
 * Nearest-rank percentiles (rank = ceil(p · n)) over `[key, count]` pairs sorted by key ascending; `valueOf` maps a
 * key to the value reported. Null for each p when the counts sum to zero.
 */
export function nearestRank(sorted: readonly (readonly [number, number])[], ps: readonly number[], valueOf: (key: number) => number = (key) => key): (number | null)[] {
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total <= 0) return ps.map(() => null);
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const [key, count] of sorted) {
      seen += count;
      if (seen >= rank) return valueOf(key);
    }
    return null;
  });
}
