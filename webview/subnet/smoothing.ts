/**
 * A trailing moving average over the last `window` points that have a value; a point without one (null) stays a
 * gap, so a smoothed line never invents data where the series has none. window ≤ 1 returns the values unchanged.
 */
export function movingAverage(values: readonly (number | null)[], window: number): (number | null)[] {
  if (window <= 1) return [...values];
  const recent: number[] = [];
  let sum = 0;
  return values.map((value) => {
    if (value === null) return null;
    recent.push(value);
    sum += value;
    if (recent.length > window) sum -= recent.shift()!;
    return sum / recent.length;
  });
}
