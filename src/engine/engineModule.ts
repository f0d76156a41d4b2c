import type { Settings } from '../core/config/settings';
import type { AlertStateRepo } from '../core/store/alertStateRepo';
import type { Migration } from '../core/store/migration';
import type { PinRepo } from '../core/store/pinRepo';
import type { Store } from '../core/store/store';
import type { Logger } from '../core/util/logger';
import type { CollectorStatus, EngineMethod, EngineNotification, ParamsOf, ResultOf } from '../protocol/engineProtocol';

export type Handler<M extends EngineMethod> = (params: ParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
export type Handlers = { [M in EngineMethod]?: Handler<M> };

/** What the engine lends each domain module. */
export interface EngineContext {
  readonly store: Store;
  readonly pins: PinRepo;
  /** Alerts raised for conditions that still hold, kept across restarts so that they are announced once. */
  readonly alerts: AlertStateRepo;
  readonly log: Logger;
  /** Current settings (validated); changes arrive through `EngineModule.onSettings`. */
  settings(): Settings;
  notify(notification: EngineNotification): void;
  /** Counts something dropped (a forged event, a failed decode), by reason; shown in the health view. */
  countDropped(reason: string, count?: number): void;
}

/**
 * A domain of the engine (Nostr, Bittensor): its schema, its request handlers, its collectors and its share of
 * retention. The engine owns the lifetimes; a module never opens the database or the worker port itself.
 */
export interface EngineModule {
  readonly handlers: Handlers;
  /** Begins collecting from the network. Not called for the CLI's one-shot commands. */
  startCollecting?(): Promise<void>;
  onSettings?(settings: Settings, previous: Settings): void;
  collectorStatus?(): readonly CollectorStatus[];
  /** Retention and rollups; called periodically and after large imports. `now` in unix seconds. */
  maintain?(now: number): void;
  /** Frees at least `bytes` of the oldest unpinned raw data if it can; returns the rows removed. */
  evictOldest?(bytes: number): number;
  dispose(): Promise<void>;
}

export interface EngineModuleFactory {
  readonly name: string;
  readonly migrations: readonly Migration[];
  create(context: EngineContext): EngineModule;
}
