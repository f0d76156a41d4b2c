import type { BittensorStore } from '../bittensor/bittensorStore';
import type { LivenessThresholds } from '../nostr/liveness';
import type { NostrStore } from '../nostr/nostrStore';
import type { Logger } from '../util/logger';
import type { Pin, PinDomain } from './pinRepo';
import type { RemoteChangeListener } from './remoteChange';

/**
 * The top of the storage seam (issue 14): one database and the domain stores over it. Two adapters implement it:
 * the embedded sql.js file (one editor, `src/core/store/sqlite`) and a PostgreSQL server shared by a team
 * (`src/core/store/postgres`). The engine and its modules see only these interfaces, never a database handle.
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, for status and logs: a file path (undefined: in memory), or a URL without password. */
  readonly location: string | undefined;
  /** Engine-wide state kept with the data: pins, raised alerts, dropped counts, when collecting began. */
  readonly engineState: EngineStateStore;
  /**
   * Undefined when this process may write the store; else why it may only read, naming what is missing (a team's
   * viewers may get a role that can only SELECT). Known from the open on: the engine reads it once and then starts no
   * collector and takes no pin, instead of failing every write with "permission denied".
   */
  readonly readOnlyReason: string | undefined;
  openNostr(options: NostrStoreOptions): NostrStore;
  openBittensor(): BittensorStore;
  /** Call after a write: the embedded file flushes within its debounce; a server has already committed. */
  markDirty(): void;
  /** Makes every write so far durable now (the embedded file: export and rename); a failure throws, naming the store. */
  flush(): Promise<FlushResult>;
  /** How the last save went, for the status line (a server's writes are durable as they commit: nothing to say). */
  saveState(): SaveState;
  /**
   * Whether swarmscope.storage.sizeBudgetMB bounds this store. The embedded file lives in memory and must; a team's
   * server is sized by its operator, and its files do not shrink on DELETE (a budget would evict on every pass).
   */
  readonly sizeBudgeted: boolean;
  /** Bytes the data takes: what the size budget is measured against. */
  usedBytes(): Promise<number>;
  /** Gives free space back after a large eviction. */
  compact(): Promise<void>;
  /** Tests and benchmarks only (EngineStartParams.debugMethods): adds about `megabytes` of filler that counts against the size budget. */
  debugFill(megabytes: number): Promise<void>;
  /** Writes what is not yet durable, then closes; a failed write throws and leaves the storage open. */
  close(): Promise<void>;
  /**
   * A store shared with other processes (PostgreSQL): calls `listener` with what they commit, so that the views show
   * it; returns the unsubscribe. Absent on the embedded file, which only this engine writes.
   */
  onRemoteChange?(listener: RemoteChangeListener): () => void;
}

export interface FlushResult {
  readonly bytes: number;
  readonly ms: number;
}

export interface SaveState {
  readonly lastSaveMs: number | undefined;
  /** Why the last save failed; undefined once one succeeds. */
  readonly lastSaveError: string | undefined;
}

/** What the Nostr store needs from the engine around it. */
export interface NostrStoreOptions {
  readonly excludedKinds: () => readonly number[];
  readonly countDropped: (reason: string, count: number) => void;
  /** Pinned DVM pubkeys (pins domain 'dvm'): kept by retention, listed first. */
  readonly pinnedDvms: () => ReadonlySet<string>;
  /** DESIGN.md "Liveness" windows; the defaults unless a test needs a silence within seconds. */
  readonly liveness?: LivenessThresholds;
  /** Where ingest says why events were rejected (debug level). */
  readonly log?: Logger;
}

/**
 * Tables every domain shares. They stay small (a few rows per pin, alert and drop reason), so the engine reads them
 * whole at start and keeps its own copy in step (engineStateView.ts).
 */
export interface EngineStateStore {
  readonly pins: PinStore;
  readonly alerts: AlertStateStore;
  readonly dropped: DroppedCountStore;
  /** When this store first collected (unix seconds), if it ever did: "all time" figures count from then. */
  collectingSince(): Promise<number | undefined>;
}

/** What the user watches. Retention and the size budget never remove what it names. */
export interface PinStore {
  add(domain: PinDomain, key: string, label?: string): Promise<void>;
  remove(domain: PinDomain, key: string): Promise<void>;
  /** Oldest first; pins made in the same second by domain, then key. */
  list(domain?: PinDomain): Promise<Pin[]>;
}

/** Alerts raised for conditions that still hold, kept across restarts so that each is announced once. */
export interface AlertStateStore {
  raise(key: string, at: number): Promise<void>;
  /** The condition ended; true when an alert was on record. */
  clear(key: string): Promise<boolean>;
  /** Every alert on record whose key starts with `prefix` ('' for all), by key. */
  list(prefix: string): Promise<{ key: string; raisedAt: number }[]>;
}

/** Events and frames dropped on arrival, by reason, over the store's whole life (DESIGN.md "Nothing lost silently"). */
export interface DroppedCountStore {
  add(reason: string, count: number): Promise<void>;
  all(): Promise<Record<string, number>>;
}
