import { SERIES_BUCKETS, SERIES_WINDOWS, type ActivitySeries, type RecentKindJobs, type SeriesBucket, type SeriesWindow } from './nostrPagesProtocol';
import type { DvmSummary, KindSummary, MetricsWindow, NostrMetrics } from './nostrProtocol';
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
  /** Days of history the backfill fetches into the rollups (0 or absent: none). */
  readonly backfillDays?: number;
}

/** The time series the page chose, the newest jobs of every kind and the busiest DVMs (issue 12). */
export interface DashboardActivity {
  readonly series: ActivitySeries;
  readonly recent: readonly RecentKindJobs[];
  readonly dvms: readonly DvmSummary[];
}

export type ToDashboard =
  | { readonly type: 'snapshot'; readonly metrics: NostrMetrics; readonly kinds: readonly KindSummary[]; readonly coverage?: DashboardCoverage; readonly activity?: DashboardActivity }
  | { readonly type: 'error'; readonly message: string };

export type FromDashboard =
  | { readonly type: 'refresh' }
  | { readonly type: 'openKind'; readonly kind: number }
  | { readonly type: 'openDvm'; readonly pubkey: string }
  | { readonly type: 'openTrace'; readonly requestId: string }
  /** The series to show (kept by the host, so that live updates read the same one). */
  | { readonly type: 'series'; readonly window: SeriesWindow; readonly bucket: SeriesBucket };

const HEX64 = /^[0-9a-f]{64}$/;

export function isFromDashboard(value: unknown): value is FromDashboard {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'refresh':
      return true;
    case 'openKind':
      return Number.isInteger(message.kind);
    case 'openDvm':
      return typeof message.pubkey === 'string' && HEX64.test(message.pubkey);
    case 'openTrace':
      return typeof message.requestId === 'string' && HEX64.test(message.requestId);
    case 'series':
      return SERIES_WINDOWS.includes(message.window as SeriesWindow) && SERIES_BUCKETS.includes(message.bucket as SeriesBucket);
    default:
      return false;
  }
}

export function isToDashboard(value: unknown): value is ToDashboard {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  if (message.type === 'snapshot') return typeof message.metrics === 'object' && message.metrics !== null && Array.isArray(message.kinds) && (message.activity === undefined || isActivity(message.activity));
  return message.type === 'error' && typeof message.message === 'string';
}

export const dashboardProtocol: PanelProtocol<ToDashboard, FromDashboard> = {
  toWebview: isToDashboard,
  fromWebview: isFromDashboard,
  requests: {},
};

/** The lists the page iterates are checked; leaves are drawn with textContent. */
function isActivity(value: unknown): value is DashboardActivity {
  if (typeof value !== 'object' || value === null) return false;
  const activity = value as Record<string, unknown>;
  const series = activity.series as Record<string, unknown> | null | undefined;
  return typeof series === 'object' && series !== null && Array.isArray(series.points) && typeof series.covers === 'object' && series.covers !== null
    && Array.isArray(activity.recent) && activity.recent.every((kind) => typeof kind === 'object' && kind !== null && Array.isArray((kind as Record<string, unknown>).jobs))
    && Array.isArray(activity.dvms);
}
