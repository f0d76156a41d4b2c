import type { NotificationOf, NotificationRouter, Subscription, Topic } from './notificationRouter';

export interface VisibleListener<T extends Topic> {
  /** A notification arrived while the panel is visible. */
  changed(notification: NotificationOf<T>): void;
  /** The panel is visible again and notifications of these topics came while it was hidden. */
  missed?(): void;
}

/**
 * Engine notifications for one panel, only while it is visible: a hidden panel's webview is gone
 * (retainContextWhenHidden is off), so it stops listening and does no work; shown again, it learns from the
 * router's counts whether it missed anything, and may catch up once (models: gitlens webviewController's
 * not-ready-while-hidden; vscode-js-profile-visualizer's data only to visible views).
 */
export class VisibleSubscription<T extends Topic> implements Subscription {
  private listening: Subscription[] = [];
  /** Router counts when the panel was hidden; undefined while visible. */
  private countsWhenHidden: number[] | undefined;
  private disposed = false;

  constructor(
    private readonly router: NotificationRouter,
    private readonly topics: readonly T[],
    private readonly listener: VisibleListener<T>,
    visible: boolean,
  ) {
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
  }

  private stopListening(): void {
    for (const subscription of this.listening.splice(0)) subscription.dispose();
  }

  private counts(): number[] {
    return this.topics.map((topic) => this.router.count(topic));
  }
}
