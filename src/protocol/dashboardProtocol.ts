import type { KindSummary, MetricsWindow, NostrMetrics } from './nostrProtocol';
import type { PanelProtocol } from './webviewPanelProtocol';

/**
 * Messages between the DVM dashboard panel and its webview (webview/dashboard), inside the panel envelope
 * (webviewPanelProtocol.ts). Shared by both sides; no vscode and no DOM here. After the page says ready, the host
 * replays the last snapshot and reads a fresh one; while the panel is visible, changes bring new snapshots.
 */
export type DashboardScope = 'all' | MetricsWindow;

/** What period the figures can cover (EngineStatus.coverage): all time is since this database started collecting. */
export interface DashboardCoverage {
  readonly collectingSince: number | undefined;
  readonly rawWindowHours: number;
}

export type ToDashboard =
  | { readonly type: 'snapshot'; readonly metrics: NostrMetrics; readonly kinds: readonly KindSummary[]; readonly coverage?: DashboardCoverage }
  | { readonly type: 'error'; readonly message: string };

export type FromDashboard =
  | { readonly type: 'refresh' }
  | { readonly type: 'openKind'; readonly kind: number };

export function isFromDashboard(value: unknown): value is FromDashboard {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
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

export const dashboardProtocol: PanelProtocol<ToDashboard, FromDashboard> = {
  toWebview: isToDashboard,
  fromWebview: isFromDashboard,
  requests: {},
};
