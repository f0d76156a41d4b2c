import { untrustedText } from '../../src/core/util/untrustedText';
import type { TraceDvmSummary } from '../../src/protocol/nostrProtocol';

/**
 * Words and numbers of the trace page, the same in the graph, the tables and the details pane. Text from events and
 * profiles goes to the DOM only as textContent; on the canvas (labels, hover text) it is also folded to one line and
 * bounded here, since a canvas draws control characters and a 57,000-character name as they are.
 */

/** A node label on the canvas. */
export const LABEL_LENGTH = 32;
/** A line of hover text. */
export const HOVER_LENGTH = 160;

export function canvasText(value: string | undefined, maxLength = LABEL_LENGTH): string {
  return untrustedText(value ?? '', maxLength);
}

/** Local wall-clock time of a unix time, to the second; the date too when it is not today. */
export function clock(unixSeconds: number, now = new Date()): string {
  const at = new Date(unixSeconds * 1000);
  if (Number.isNaN(at.getTime())) return String(unixSeconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/** Seconds since the job's request: `+3 s`, `+2 min 5 s`, `−1 s` (clocks disagree), `–` while the request is unknown. */
export function delay(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const sign = seconds < 0 ? '−' : '+';
  const whole = Math.abs(Math.round(seconds));
  if (whole < 60) return `${sign}${whole} s`;
  if (whole < 3600) return `${sign}${Math.floor(whole / 60)} min${whole % 60 ? ` ${whole % 60} s` : ''}`;
  return `${sign}${(whole / 3600).toFixed(1)} h`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  return delay(seconds).replace(/^\+/, '');
}

export function satsText(sats: number | undefined): string {
  return sats === undefined ? '' : `${Math.round(sats).toLocaleString('en-US')}`;
}

export function shortId(hex: string): string {
  return hex.length > 12 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

/** NIP-90 feedback statuses and the roles of a trace, as people say them. */
export function roleText(role: string, status?: string): string {
  if (role === 'feedback') return status ? `feedback: ${status}` : 'feedback';
  if (role === 'deletion') return 'deletion (cancel)';
  return role;
}

/** The flags DESIGN.md names for a DVM on a job, as words. */
export function dvmFlags(dvm: Pick<TraceDvmSummary, 'amountMismatch' | 'paymentWithoutResult' | 'resultWithoutPayment' | 'errorMessage'>): string[] {
  const flags: string[] = [];
  if (dvm.amountMismatch) flags.push('amount tag ≠ bolt11');
  if (dvm.paymentWithoutResult) flags.push('payment requested, no result');
  if (dvm.resultWithoutPayment) flags.push('result without payment request');
  if (dvm.errorMessage !== undefined) flags.push('error');
  return flags;
}
