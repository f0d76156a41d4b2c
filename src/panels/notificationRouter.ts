import type { EngineNotification } from '../protocol/engineProtocol';

export type Topic = EngineNotification['topic'];
export type NotificationOf<T extends Topic> = Extract<EngineNotification, { readonly topic: T }>;

/** What an `engine.reload` names: a domain whose views must all read again, or every domain. */
export type ReloadDomain = NotificationOf<'engine.reload'>['payload']['domain'];

/** A domain of data that panels show. */
export type DataDomain = Exclude<ReloadDomain, 'all'>;

/** The domain of a topic's data (`nostr.changed` → nostr), or undefined for the engine's own topics. */
export function domainOf(topic: Topic): DataDomain | undefined {
  if (topic.startsWith('nostr.')) return 'nostr';
  if (topic.startsWith('bittensor.')) return 'bittensor';
  return undefined;
}

export interface Subscription {
  dispose(): void;
}

/**
 * The one way engine notifications reach panels: services.ts routes every notification here, and each open panel
 * listens to the topics it shows, only while it is visible (visibleSubscription.ts). No vscode here, so panels'
 * live-update rules are testable in plain Node.
 *
 * It also counts notifications per topic, and `engine.reload`s per domain: a panel that stopped listening while
 * hidden compares counts when it is shown again, to know whether it missed anything without having listened.
 */
export class NotificationRouter {
  private readonly listeners = new Map<Topic, Set<(notification: EngineNotification) => void>>();
  private readonly routed = new Map<Topic, number>();
  private readonly reloaded = new Map<ReloadDomain, number>();

  route(notification: EngineNotification): void {
    this.routed.set(notification.topic, this.count(notification.topic) + 1);
    if (notification.topic === 'engine.reload') this.reloaded.set(notification.payload.domain, (this.reloaded.get(notification.payload.domain) ?? 0) + 1);
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

  /** `engine.reload`s routed so far that concern `domain` (those naming it, and those naming every domain). */
  reloadCount(domain: DataDomain): number {
    return (this.reloaded.get(domain) ?? 0) + (this.reloaded.get('all') ?? 0);
  }

  /** Listeners of this topic now: how a test tells that a hidden panel stopped listening. */
  listenerCount(topic: Topic): number {
    return this.listeners.get(topic)?.size ?? 0;
  }
}
