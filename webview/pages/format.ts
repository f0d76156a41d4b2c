import { untrustedText } from '../../src/core/util/untrustedText';

/** Figures of the pages as words. Strangers' text is folded to one bounded line here and shown with textContent. */

export function count(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

export function rate(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : '–';
}

export function seconds(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toLocaleString('en-US')} s` : '–';
}

/** Local date and time of a unix time, to the second; '–' for none. */
export function when(unix: number | null | undefined): string {
  if (typeof unix !== 'number' || !Number.isFinite(unix)) return '–';
  const at = new Date(unix * 1000);
  return Number.isNaN(at.getTime()) ? String(unix) : at.toLocaleString();
}

/** A name from a profile or handler: one line, at most 80 characters. */
export function shown(value: unknown, maxLength = 80): string {
  return untrustedText(value, maxLength);
}
