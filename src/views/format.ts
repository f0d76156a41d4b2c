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

export function ago(unixSeconds: number | null | undefined, now = Date.now() / 1000): string {
  if (!unixSeconds) return 'never';
  return `${seconds(Math.max(0, now - unixSeconds))} ago`;
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
