import type { Logger } from '../util/logger';

/**
 * Where the newest delivered `created_at` of each relay is kept (the engine persists it in its store, which may
 * answer later: a promise is awaited).
 */
export interface RelayCursor {
  get(relay: string): number | undefined | Promise<number | undefined>;
  /**
   * Moves the cursor forward. The engine's store never lets it pass its clock plus a small skew
   * (src/core/nostr/relayCursorRepair.ts), whatever date a relay's events claim. A rejected promise is logged.
   */
  set(relay: string, createdAt: number): void | Promise<void>;
}

/** Knobs with production defaults; tests shorten the waits. */
export interface RelayCollectorTuning {
  /** Reconnect backoff (src/core/util/backoff.ts): first delay and cap, ms. */
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Events asked per backfill page (`limit`). */
  readonly pageSize?: number;
  /** Longest wait for an EOSE before a page counts as failed (never as complete). */
  readonly maxWaitMs?: number;
  readonly connectTimeoutMs?: number;
  /** Batches to the engine: at most this many events, or whatever came within `flushMs`. */
  readonly flushMs?: number;
  readonly maxBatch?: number;
  /** The backfill restarts this far before the cursor, for clock skew and late propagation. */
  readonly overlapSeconds?: number;
  /** How far back the first backfill of a relay with no cursor reaches. */
  readonly initialBackfillSeconds?: number;
  /** Kinds per filter for 5000–7000; a relay that refuses falls back to 20 (see relayFilters.ts). */
  readonly kindsPerFilter?: number;
  readonly peopleRefreshMs?: number;
  readonly peopleCapacity?: number;
  readonly probeIntervalMs?: number;
  readonly recentIdCapacity?: number;
}

export const DEFAULT_RELAY_TUNING: Required<RelayCollectorTuning> = {
  backoffBaseMs: 1_000,
  backoffCapMs: 60_000,
  pageSize: 500,
  maxWaitMs: 30_000,
  connectTimeoutMs: 10_000,
  flushMs: 50,
  maxBatch: 500,
  overlapSeconds: 60,
  initialBackfillSeconds: 24 * 3600,
  kindsPerFilter: 2001,
  peopleRefreshMs: 2_000,
  peopleCapacity: 20_000,
  probeIntervalMs: 30_000,
  recentIdCapacity: 50_000,
};

export interface RelayCollectorOptions {
  readonly relays: readonly string[];
  readonly cursor: RelayCursor;
  /**
   * Raw, unverified events of one relay, in batches; the engine validates. Throwing, or a promise that rejects,
   * means "not delivered": the collector logs it and its cursor does not move for that batch.
   */
  onEvents(relay: string, events: readonly unknown[]): void | Promise<unknown>;
  readonly log: Logger;
  onStatusChange?(): void;
  /** Events a relay sent that were not taken, by reason (e.g. outside the subscription's filter). */
  onDropped?(reason: string, count: number): void;
  readonly tuning?: RelayCollectorTuning;
}
