import type { Settings } from '../core/config/settings';
import type { RemoteChange } from '../core/store/remoteChange';
import type { Storage } from '../core/store/storage';
import type { Logger } from '../core/util/logger';
import type { CollectorStatus, EngineMethod, EngineNotification, ParamsOf, ResultOf } from '../protocol/engineProtocol';
import type { AlertsView, PinsView } from './engineStateView';

export type Handler<M extends EngineMethod> = (params: ParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>;
export type Handlers = { [M in EngineMethod]?: Handler<M> };

/** What the engine lends each domain module. */
export interface EngineContext {
  /** The database behind the storage seam: modules open their domain's store from it and never see a handle. */
  readonly storage: Storage;
  /** What the user watches; answered from memory, written through to the storage. */
  readonly pins: PinsView;
  /** Alerts raised for conditions that still hold, kept across restarts so that they are announced once. */
  readonly alerts: AlertsView;
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
  /** Reads or repairs what it needs from the storage; the engine awaits it before it reports ready. */
  open?(): Promise<void>;
  /** Begins collecting from the network. Not called for the CLI's one-shot commands. */
  startCollecting?(): Promise<void>;
  onSettings?(settings: Settings, previous: Settings): void;
  /**
   * Another process committed writes to the shared store (a team's PostgreSQL): the module tells its views, as for
   * its own writes. Called with every change but `domain: 'all'`, which the engine answers itself.
   */
  onRemoteChange?(change: RemoteChange): void;
  collectorStatus?(): readonly CollectorStatus[];
  /** Retention and rollups; called periodically and after large imports, one pass at a time. `now` in unix seconds. */
  maintain?(now: number): void | Promise<void>;
  /** Frees at least `bytes` of the oldest unpinned raw data if it can; returns the rows removed. */
  evictOldest?(bytes: number): number | Promise<number>;
  dispose(): Promise<void>;
}

export interface EngineModuleFactory {
  readonly name: string;
  create(context: EngineContext): EngineModule;
}
