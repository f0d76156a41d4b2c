import * as vscode from 'vscode';
import { untrustedText } from '../core/util/untrustedText';

/** A tooltip has room for more than a label; an `about` of 2,000 characters still does not belong in one. */
const TOOLTIP_VALUE_MAX = 500;

/** Shared formatting for tree descriptions and tooltips, so every view says numbers the same way. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`;
}

export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (value < 60) return `${value.toFixed(value < 10 ? 1 : 0)} s`;
  if (value < 3600) return `${(value / 60).toFixed(1)} min`;
  return `${(value / 3600).toFixed(1)} h`;
}

/**
 * How long ago, in steps no finer than the rows are redrawn (TreeRefresher.ages, every 30 s): a row never shows
 * "1.0 s ago" for minutes. A time ahead of the clock (a signer's clock, or ours) reads "just now".
 */
export function ago(unixSeconds: number | null | undefined, now = Date.now() / 1000): string {
  if (!unixSeconds) return 'never';
  const elapsed = Math.max(0, now - unixSeconds);
  if (elapsed < 60) return 'just now';
  if (elapsed < 3600) return `${Math.floor(elapsed / 60)} min ago`;
  if (elapsed < 86_400) return `${(elapsed / 3600).toFixed(1)} h ago`;
  return `${Math.floor(elapsed / 86_400)} d ago`;
}

/** A moment as the user's clock shows it ("2026-06-01 14:03"), for times that should not need redrawing. */
export function dateTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  if (Number.isNaN(date.getTime())) return `unix time ${unixSeconds}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function shortKey(key: string): string {
  return key.length > 16 ? `${key.slice(0, 10)}…${key.slice(-4)}` : key;
}

/**
 * A name someone else chose (a DVM's profile, a chain identity), fit for a label; the short key when there is no
 * name or nothing visible is left of it.
 */
export function nameOrKey(name: string | null | undefined, key: string): string {
  return untrustedText(name) || shortKey(key);
}

export function tao(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(value >= 1 ? 2 : 4)} τ`;
}

/** Subnet stake is alpha-denominated (alpha + TAO × TaoWeight), so it is labelled α, not τ. */
export function alpha(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(value >= 1 ? 2 : 4)} α`;
}

export function sats(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} sats`;
}

/**
 * A tooltip table from untrusted values: every value is escaped (appendText), so names and tags that DVMs or chain
 * identities choose can never inject markdown links, images or command URIs, and sanitised, so that bidi overrides
 * and line breaks cannot disguise one row as another.
 */
export function tooltipTable(title: string, rows: readonly [string, string][]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  markdown.appendText(untrustedText(title, TOOLTIP_VALUE_MAX));
  markdown.appendMarkdown('\n\n');
  for (const [label, value] of rows) {
    markdown.appendMarkdown('**');
    markdown.appendText(label);
    markdown.appendMarkdown('**: ');
    markdown.appendText(untrustedText(value, TOOLTIP_VALUE_MAX));
    markdown.appendMarkdown('  \n');
  }
  return markdown;
}

/**
 * The counts the trees show, each defined once with DESIGN.md's words (issue 9, item 3): the row says the figure and
 * its name, the tooltip what it counts, and every view reads it from the same query.
 */
export const COUNT_MEANINGS = {
  jobs: 'jobs: the distinct requests it sent feedback or a result for',
  waiting: 'waiting: requests addressed to it (p tag) in the last 24 h that it has not answered and nobody cancelled; not among its jobs',
  requests: 'requests: job requests of this kind (5000–5999) stored, whoever they were for',
  dvms: 'DVMs: distinct DVMs that answered a request of this kind',
} as const;

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** "6 jobs · 1 waiting" (the waiting part only when some are). */
export function jobCounts(jobs: number, waiting: number): string {
  return waiting > 0 ? `${plural(jobs, 'job')} · ${waiting.toLocaleString('en-US')} waiting` : plural(jobs, 'job');
}
