import type { EngineNotification } from '../protocol/engineProtocol';

export type Topic = EngineNotification['topic'];
export type NotificationOf<T extends Topic> = Extract<EngineNotification, { readonly topic: T }>;

export interface Subscription {
  dispose(): void;
}

/**
 * The one way engine notifications reach panels: services.ts routes every notification here, and each open panel
 * listens to the topics it shows, only while it is visible (visibleSubscription.ts). No vscode here, so panels'
 * live-update rules are testable in plain Node.
 *
 * It also counts notifications per topic: a panel that stopped listening while hidden compares counts when it is
 * shown again, to know whether it missed anything without having listened.
 */
export class NotificationRouter {
  private readonly listeners = new Map<Topic, Set<(notification: EngineNotification) => void>>();
  private readonly routed = new Map<Topic, number>();

  route(notification: EngineNotification): void {
    this.routed.set(notification.topic, this.count(notification.topic) + 1);
    const listeners = this.listeners.get(notification.topic);
    if (!listeners) return;
    // A copy: a listener may unsubscribe (its panel closed) while this loop runs.
    for (const listener of [...listeners]) listener(notification);
  }

  on<T extends Topic>(topic: T, listener: (notification: NotificationOf<T>) => void): Subscription {
    const untyped = listener as (notification: EngineNotification) => void;
    let listeners = this.listeners.get(topic);
    if (!listeners) this.listeners.set(topic, (listeners = new Set()));
    listeners.add(untyped);
    return {
      dispose: () => {
        listeners.delete(untyped);
        if (listeners.size === 0 && this.listeners.get(topic) === listeners) this.listeners.delete(topic);
      },
    };
  }

  /** Notifications of this topic routed so far. */
  count(topic: Topic): number {
    return this.routed.get(topic) ?? 0;
  }

  /** Listeners of this topic now: how a test tells that a hidden panel stopped listening. */
  listenerCount(topic: Topic): number {
    return this.listeners.get(topic)?.size ?? 0;
  }
}
