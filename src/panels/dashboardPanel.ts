import { describeError } from '../core/util/errors';
import { dashboardProtocol, type FromDashboard, type ToDashboard } from '../protocol/dashboardProtocol';
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
  /** A kind bar was clicked. */
  openKind(kind: number): void;
}

export function dashboardPanel(deps: DashboardDeps): PanelDefinition<DashboardSubject, DashboardProtocol> {
  return {
    viewType: 'swarmscope.dashboard',
    bundle: 'dashboard',
    protocol: dashboardProtocol,
    title: () => 'DVM Dashboard',
    key: () => DASHBOARD,
    parseSubject: () => DASHBOARD,
    create: (channel) => new DashboardPanel(channel, deps),
  };
}

/**
 * The DVM dashboard: DVMDash's metric cards (all-time and 1 h / 24 h / 7 d / 30 d) and requests per kind. Every
 * page that loads gets the last snapshot at once (replayed by the host) and a fresh one, since the windows move
 * with time even when nothing arrives; while visible, `nostr.changed` brings a new one at most every 2 s. Hidden,
 * it does nothing (the engine keeps collecting).
 */
class DashboardPanel implements PanelController<DashboardProtocol> {
  readonly requests = {};
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every read, so that a slower, older read never overwrites a newer snapshot. */
  private reads = 0;

  constructor(
    private readonly channel: PanelChannel<DashboardProtocol>,
    private readonly deps: DashboardDeps,
  ) {
    channel.follow(['nostr.changed'], { changed: () => this.scheduleUpdate() });
  }

  ready(): void {
    void this.sendSnapshot();
  }

  received(message: FromDashboard): void {
    if (message.type === 'refresh') void this.sendSnapshot();
    else this.deps.openKind(message.kind);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.reads++;
  }

  private scheduleUpdate(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.sendSnapshot();
    }, UPDATE_EVERY_MS);
  }

  private async sendSnapshot(): Promise<void> {
    const read = ++this.reads;
    let message: ToDashboard;
    try {
      const [metrics, kinds, status] = await Promise.all([
        this.deps.engine.request('nostr.metrics', {}), this.deps.engine.request('nostr.kinds', {}), this.deps.engine.request('engine.status', {}),
      ]);
      message = { type: 'snapshot', metrics, kinds, coverage: status.coverage };
    } catch (error) {
      message = { type: 'error', message: describeError(error) };
    }
    if (read === this.reads) this.channel.setState(message);
  }
}
