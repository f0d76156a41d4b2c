import type { KindSummary, MetricsWindow, NostrMetrics } from './nostrProtocol';

/**
 * Messages between the DVM dashboard panel and its webview (webview/dashboard). Shared by both sides; no vscode
 * and no DOM here. The webview says `ready` first; the host answers with a full snapshot, then sends updates.
 */
export type DashboardScope = 'all' | MetricsWindow;

export type ToDashboard =
  | { readonly type: 'snapshot'; readonly metrics: NostrMetrics; readonly kinds: readonly KindSummary[] }
  | { readonly type: 'error'; readonly message: string };

export type FromDashboard =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'openKind'; readonly kind: number };

export function isFromDashboard(value: unknown): value is FromDashboard {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'openKind':
      return Number.isInteger(message.kind);
    default:
      return false;
  }
}

export function isToDashboard(value: unknown): value is ToDashboard {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message.type === 'snapshot') return typeof message.metrics === 'object' && message.metrics !== null && Array.isArray(message.kinds);
  return message.type === 'error' && typeof message.message === 'string';
}
