import { describeError } from '../core/util/errors';
import { dashboardProtocol, type DashboardActivity, type FromDashboard, type ToDashboard } from '../protocol/dashboardProtocol';
import type { SeriesBucket, SeriesWindow } from '../protocol/nostrPagesProtocol';
import type { EngineRequester } from '../views/engineRequester';
import type { PanelDefinition } from './panelDefinition';
import type { PanelChannel, PanelController } from './panelSession';

/** Live updates are throttled: the dashboard re-reads metrics at most this often while visible. */
const UPDATE_EVERY_MS = 2_000;

type DashboardProtocol = typeof dashboardProtocol;

/** There is one dashboard: its subject is this constant, and any restored dashboard page is it. */
export const DASHBOARD = 'dvms';
export type DashboardSubject = typeof DASHBOARD;

export interface DashboardDeps {
  readonly engine: EngineRequester;
  /** A kind (bar, table row, recent requests) was clicked. */
  openKind(kind: number): void;
  /** A DVM of the top DVMs table was clicked (its page). */
  openDvm?(pubkey: string): void;
  /** A recent request was clicked (its trace). */
  openTrace?(requestId: string): void;
}

/**
 * A snapshot whose read began this recently is as good as a new one for a page that just loaded: VS Code takes about
 * a second to build a new panel's page (test/bench/webviewShellTimeline.ts prints where it goes), and the first
 * snapshot is read during that second instead of after it.
 */
const FRESH_MS = UPDATE_EVERY_MS;

/** The busiest DVMs listed in the top DVMs table. */
const TOP_DVMS = 20;

export function dashboardPanel(deps: DashboardDeps): PanelDefinition<DashboardSubject, DashboardProtocol> {
  return {
    viewType: 'swarmscope.dashboard',
    bundle: 'dashboard',
    // The pages' tables, links and series charts (webview/pages) are drawn here too.
    styles: ['media/pages.css'],
    protocol: dashboardProtocol,
    title: () => 'DVM Dashboard',
    key: () => DASHBOARD,
    parseSubject: () => DASHBOARD,
    create: (channel) => new DashboardPanel(channel, deps),
  };
}

/**
 * The DVM dashboard: DVMDash's metric cards (all-time and 1 h / 24 h / 7 d / 30 d) and requests per kind. The
 * first snapshot is read as the panel is made, while VS Code loads its page. Every page that loads gets the last
 * snapshot at once (replayed by the host) and, unless that one is fresh (read in the last FRESH_MS, or on its way),
 * a new one, since the windows move with time even when nothing arrives; while visible, `nostr.changed` brings a new one at most every 2 s. Hidden,
 * it does nothing (the engine keeps collecting).
 */
class DashboardPanel implements PanelController<DashboardProtocol> {
  readonly requests = {};
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every read, so that a slower, older read never overwrites a newer snapshot. */
  private reads = 0;
  /** The series the page shows; it says which when it loads and on every change of its selectors. */
  private series: { window: SeriesWindow; bucket: SeriesBucket } = { window: '24h', bucket: '1h' };
  /** When the newest read began (ms since the epoch). */
  private readStartedAt = 0;

  constructor(
    private readonly channel: PanelChannel<DashboardProtocol>,
    private readonly deps: DashboardDeps,
  ) {
    // Caught up at once (an engine.reload, or changes while hidden): the page that loads next finds this read fresh.
    channel.follow(['nostr.changed'], { changed: () => this.scheduleUpdate(), missed: () => void this.sendSnapshot() });
    void this.sendSnapshot();
  }

  ready(): void {
    // A fresh snapshot was just replayed to the page, or reaches it when its read ends (setState sends it then).
    if (!this.fresh()) void this.sendSnapshot();
  }

  received(message: FromDashboard): void {
    switch (message.type) {
      case 'refresh':
        void this.sendSnapshot();
        return;
      case 'series': {
        // Every page says its series as it loads: the default one needs no second read of a fresh snapshot.
        const same = message.window === this.series.window && message.bucket === this.series.bucket;
        this.series = { window: message.window, bucket: message.bucket };
        if (!same || !this.fresh()) void this.sendSnapshot();
        return;
      }
      case 'openKind':
        this.deps.openKind(message.kind);
        return;
      case 'openDvm':
        this.deps.openDvm?.(message.pubkey);
        return;
      case 'openTrace':
        this.deps.openTrace?.(message.requestId);
        return;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.reads++;
  }

  private fresh(): boolean {
    return Date.now() - this.readStartedAt < FRESH_MS;
  }

  private scheduleUpdate(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.sendSnapshot();
    }, UPDATE_EVERY_MS);
  }

  /** The series, recent requests and top DVMs, read with the snapshot so that one live push carries all of it. */
  private async readActivity(): Promise<DashboardActivity> {
    const engine = this.deps.engine;
    const [series, recent, dvms] = await Promise.all([
      engine.request('nostr.activity', this.series), engine.request('nostr.recentByKind', { perKind: 3 }), engine.request('nostr.dvms', { limit: TOP_DVMS }),
    ]);
    return { series, recent, dvms };
  }

  private async sendSnapshot(): Promise<void> {
    const read = ++this.reads;
    this.readStartedAt = Date.now();
    let message: ToDashboard;
    try {
      const [metrics, kinds, status, activity] = await Promise.all([
        this.deps.engine.request('nostr.metrics', {}), this.deps.engine.request('nostr.kinds', {}), this.deps.engine.request('engine.status', {}), this.readActivity(),
      ]);
      message = { type: 'snapshot', metrics, kinds, coverage: status.coverage, activity };
    } catch (error) {
      message = { type: 'error', message: describeError(error) };
      // A failed read is not fresh: the next page to load tries again.
      if (read === this.reads) this.readStartedAt = 0;
    }
    if (read === this.reads) this.channel.setState(message);
  }
}
