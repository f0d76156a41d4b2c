/**
 * The x axis of the subnet charts: block numbers, or the time of each stored snapshot (its block's time, unix
 * seconds; estimated at 12 s a block for backfilled blocks). chart.js's time scale needs a date adapter library, so
 * time is a linear scale over milliseconds whose tick labels are formatted here.
 */
export type XAxis = 'block' | 'time';

export function isXAxis(value: unknown): value is XAxis {
  return value === 'block' || value === 'time';
}

/** A point's x: its block, or its time in milliseconds. */
export function xOf(point: { readonly block: number; readonly time: number }, axis: XAxis): number {
  return axis === 'time' ? point.time * 1000 : point.block;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Local date and minute, "2026-11-29 18:43": sortable, and the same in every locale. */
export function dateTimeText(ms: number): string {
  const date = new Date(ms);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * A tick label. Over a span of two days or more the day alone says enough; under it the time of day changes, and
 * the date is kept so that a tick never reads as another day's.
 */
export function tickText(value: number, axis: XAxis, spanMs: number): string {
  if (axis === 'block') return Math.round(value).toLocaleString('en-US');
  const text = dateTimeText(value);
  return spanMs >= 2 * 86_400_000 ? text.slice(0, 10) : text;
}

/** What the x values of a chart cover, for its accessible label: "blocks 1,000–2,000" or "2026-11-29 17:03 to 2026-11-29 18:43". */
export function spanText(xs: readonly number[], axis: XAxis): string {
  if (xs.length === 0) return axis === 'block' ? 'no blocks' : 'no times';
  let low = xs[0];
  let high = xs[0];
  for (const x of xs) {
    if (x < low) low = x;
    if (x > high) high = x;
  }
  return axis === 'block'
    ? `blocks ${low.toLocaleString('en-US')}–${high.toLocaleString('en-US')}`
    : `${dateTimeText(low)} to ${dateTimeText(high)}`;
}

/** A `datetime-local` input's value ("2026-11-29T18:43", local time) as unix seconds; null when empty or invalid. */
export function localInputSeconds(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value.trim())) return null;
  const ms = new Date(value.trim()).getTime();
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : null;
}

/**
 * A `datetime-local` value used as a range's end, as unix seconds. The input shows minutes, so "18:43" ends at
 * 18:43:59: a snapshot taken within that minute is inside the range, as the user reads it. A value with seconds
 * ends at that second.
 */
export function localInputEndSeconds(value: string): number | null {
  const start = localInputSeconds(value);
  return start !== null && /T\d{2}:\d{2}$/.test(value.trim()) ? start + 59 : start;
}

/** Unix seconds as a `datetime-local` value (local time, to the minute). */
export function secondsInputValue(seconds: number): string {
  return dateTimeText(seconds * 1000).replace(' ', 'T');
}
