/**
 * A unix time (seconds) as ISO 8601 text. Times come from relays and can be anything a signer chose: `Date` throws
 * past ±8.64e15 ms, so a time out of its range is printed as the number it is instead of failing a status line.
 */
export function isoTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? `unix time ${unixSeconds}` : date.toISOString();
}
