import { domainOf, type DataDomain, type NotificationOf, type NotificationRouter, type Subscription, type Topic } from './notificationRouter';

export interface VisibleListener<T extends Topic> {
  /** A notification arrived while the panel is visible. */
  changed(notification: NotificationOf<T>): void;
  /**
   * Catch up: read again everything shown. Called when the panel is visible again and notifications of these topics
   * came while it was hidden, and when the engine says it cannot name what changed in their domain (`engine.reload`:
   * another process's change set too large to name, or a lost change feed), visible or not at the time.
   */
  missed?(): void;
}

/**
 * Engine notifications for one panel, only while it is visible: a hidden panel's webview is gone
 * (retainContextWhenHidden is off), so it stops listening and does no work; shown again, it learns from the
 * router's counts whether it missed anything, and may catch up once (models: gitlens webviewController's
 * not-ready-while-hidden; vscode-js-profile-visualizer's data only to visible views).
 *
 * An `engine.reload` of the topics' domain (or of every domain) is a change the panel cannot filter on, so it is a
 * catch-up too, here for every panel rather than in each: the trees' refill and the panels' re-read answer one notice.
 */
export class VisibleSubscription<T extends Topic> implements Subscription {
  private listening: Subscription[] = [];
  /** Router counts when the panel was hidden; undefined while visible. */
  private countsWhenHidden: number[] | undefined;
  private disposed = false;
  /** The data domains of the topics followed: an `engine.reload` of one of them (or of all) is a catch-up. */
  private readonly domains: ReadonlySet<DataDomain>;

  constructor(
    private readonly router: NotificationRouter,
    private readonly topics: readonly T[],
    private readonly listener: VisibleListener<T>,
    visible: boolean,
  ) {
    this.domains = new Set(topics.map(domainOf).filter((domain): domain is DataDomain => domain !== undefined));
    if (visible) this.listen();
    else this.countsWhenHidden = this.counts();
  }

  setVisible(visible: boolean): void {
    if (this.disposed) return;
    if (!visible) {
      if (this.countsWhenHidden) return;
      this.stopListening();
      this.countsWhenHidden = this.counts();
      return;
    }
    const before = this.countsWhenHidden;
    if (!before) return;
    this.countsWhenHidden = undefined;
    this.listen();
    if (this.counts().some((count, index) => count !== before[index])) this.listener.missed?.();
  }

  dispose(): void {
    this.disposed = true;
    this.stopListening();
  }

  private listen(): void {
    this.listening = this.topics.map((topic) => this.router.on(topic, (notification) => this.listener.changed(notification as NotificationOf<T>)));
    if (this.domains.size === 0) return;
    this.listening.push(this.router.on('engine.reload', ({ payload: { domain } }) => {
      if (domain === 'all' || this.domains.has(domain)) this.listener.missed?.();
    }));
  }

  private stopListening(): void {
    for (const subscription of this.listening.splice(0)) subscription.dispose();
  }

  private counts(): number[] {
    const reloads = [...this.domains].map((domain) => this.router.reloadCount(domain));
    return [...this.topics.map((topic) => this.router.count(topic)), ...reloads];
  }
}
