import type { RawSettings, SettingError } from '../core/config/settings';
import type { CollectorStatus } from '../core/collectors/collectorStatus';
import type { LogLevel } from '../core/util/logLevel';
import { BITTENSOR_METHODS, type BittensorMethods, type BittensorNotification } from './bittensorProtocol';
import { NOSTR_METHODS, type IngestResult, type NostrMethods, type NostrNotification } from './nostrProtocol';

// The core owns these data types (issue 14); they are re-exported so that callers of the protocol keep one import.
export type { CollectorStatus } from '../core/collectors/collectorStatus';
export type { LogLevel } from '../core/util/logLevel';

/**
 * The one protocol between the extension host and the engine worker (and the CLI, which calls the same methods
 * in-process), and between the engine that owns a database and its clients in other windows or CLI processes (over
 * a local socket, src/engine/engineSocketServer.ts). Requests carry ids and get exactly one response; notifications
 * flow from the engine only. Every message that crosses a thread or process boundary passes `isEngineToHost` /
 * `isHostToEngine` first.
 */

export interface EngineStatus {
  readonly state: 'starting' | 'ready' | 'stopping';
  readonly startedAt: number;
  readonly readyMs: number;
  /** Where the data lives: the database file (undefined: in memory), or the team store's URL without password. */
  readonly dbPath: string | undefined;
  /** Which store the engine opened: the embedded sql.js file, or a team's PostgreSQL server (its URL, never a password). */
  readonly store?: { readonly kind: 'sqlite' | 'postgres'; readonly location: string | undefined };
  readonly dbBytes: number;
  readonly lastFlushMs: number | undefined;
  readonly lastFlushError: string | undefined;
  readonly collectors: readonly CollectorStatus[];
  readonly dropped: Readonly<Record<string, number>>;
  readonly settingErrors: readonly SettingError[];
  readonly notices: readonly string[];
  /**
   * What period the figures cover: since when this database collects (unix seconds; its first migration), and the
   * raw window relays are asked for — older events are fetched by no one, only imported — and the days of history
   * the backfill fetches into the rollups (swarmscope.nostr.backfillDays, at most the history window; 0: none).
   */
  readonly coverage: { readonly collectingSince: number | undefined; readonly rawWindowHours: number; readonly backfillDays?: number };
}

/**
 * A team's PostgreSQL store (issue 14). The URL never carries a password; `password` is the one the editor keeps in
 * its SecretStorage (the CLI leaves it out: PGPASSWORD or ~/.pgpass). Neither is logged nor shown in status.
 */
export interface TeamStoreParams {
  readonly url: string;
  readonly password?: string;
  /** Where the URL was given, named in refusals: `--store` or `swarmscope.storage.url`. */
  readonly origin?: string;
  /**
   * Hold a LISTEN connection for other processes' writes (default true). The CLI passes false: it shows no live
   * view, and a collector running around the clock should not hold a second server connection for nothing.
   */
  readonly listen?: boolean;
}

export interface EngineStartParams {
  /** The embedded sql.js file (undefined: in memory); unused when `store` is given. */
  readonly dbPath: string | undefined;
  /** Open this PostgreSQL store instead of the sql.js file. No lock: several engines may share it. */
  readonly store?: TeamStoreParams;
  readonly settings: RawSettings;
  /** Start the collectors (relays, chain). The CLI's one-shot commands leave them off. */
  readonly collect: boolean;
  /**
   * Tests and benchmarks only: engine.debugCrash and engine.debugFill answer only when this is set, so that no user
   * command or extension can crash the worker or write filler into the user's database.
   */
  readonly debugMethods?: boolean;
  /** Tests only, and only with `debugMethods`: maintenance (retention, liveness, alerts) this often instead of every minute. */
  readonly maintenanceIntervalMs?: number;
  /** Who runs this engine ("VS Code window <workspace>", "swarmscope ingest"), as other windows and the CLI see it. */
  readonly ownerLabel?: string;
  /** The id the database's lock will carry; the host chooses it, so that it can release a lock its crashed worker left. */
  readonly lockId?: string;
}

/** The engine that owns a database file: the content of its lock file (src/engine/engineLock.ts). */
export interface EngineOwnerInfo {
  /** Random per lock, so that a release never removes another engine's lock. */
  readonly id: string;
  readonly pid: number;
  /** From /proc/<pid>/stat where there is one: a recycled pid does not pass for the owner. */
  readonly processStart?: string;
  readonly startedAt: number;
  /** Where the owner serves the engine protocol to other windows and CLI processes. */
  readonly socketPath: string;
  readonly label: string;
}

/**
 * What a worker answers to `engine.start`: it owns the database's engine now, or another live process does and the
 * host should be that engine's client instead. `owner` is absent for an in-memory database (nothing to share).
 */
export type EngineStartResult =
  | { readonly role: 'owner'; readonly status: EngineStatus; readonly owner?: EngineOwnerInfo }
  | { readonly role: 'client'; readonly owner: EngineOwnerInfo };

export interface CoreMethods {
  'engine.start': { params: EngineStartParams; result: EngineStartResult };
  'engine.status': { params: Record<string, never>; result: EngineStatus };
  'engine.configure': { params: { settings: RawSettings }; result: { errors: readonly SettingError[] } };
  'engine.flush': { params: Record<string, never>; result: { bytes: number; ms: number } };
  'engine.pins': { params: Record<string, never>; result: readonly { domain: string; key: string; label?: string }[] };
  'engine.pin': { params: { domain: 'dvm' | 'hotkey'; key: string; label?: string; pinned: boolean }; result: { ok: true } };
  /**
   * Imports signed events from a file (a JSON array or JSON lines), read by the engine, as the CLI's `ingest` does;
   * `engine.importProgress` notifications follow its chunks. `events`: how many the file held.
   */
  'engine.importEvents': { params: { file: string }; result: IngestResult & { readonly events: number } };
  /** Flushes and closes the store; the worker exits after answering. */
  'engine.stop': { params: Record<string, never>; result: { ok: true } };
  /** Benchmarks and tests: fill the database with `megabytes` of filler rows, then flush. */
  'engine.debugFill': { params: { megabytes: number }; result: { bytes: number } };
  /** Tests: make the worker die as a real crash would, to prove it is reported and restarted. */
  'engine.debugCrash': { params: Record<string, never>; result: never };
}

export const CORE_METHODS = [
  'engine.start', 'engine.status', 'engine.configure', 'engine.flush', 'engine.pins', 'engine.pin', 'engine.importEvents', 'engine.stop',
  'engine.debugFill', 'engine.debugCrash',
] as const;

export type EngineMethods = CoreMethods & NostrMethods & BittensorMethods;
export type EngineMethod = keyof EngineMethods & string;
export type ParamsOf<M extends EngineMethod> = EngineMethods[M] extends { params: infer P } ? P : never;
export type ResultOf<M extends EngineMethod> = EngineMethods[M] extends { result: infer R } ? R : never;

export const ENGINE_METHODS: ReadonlySet<string> = new Set<string>([...CORE_METHODS, ...NOSTR_METHODS, ...BITTENSOR_METHODS]);

export type CoreNotification =
  | { readonly topic: 'engine.status'; readonly payload: EngineStatus }
  | { readonly topic: 'engine.log'; readonly payload: { level: LogLevel; message: string } }
  /**
   * Another process wrote to the shared store and this engine cannot name what changed (its LISTEN connection was
   * lost meanwhile, or a change set was too large): every view of `domain` reads the engine again.
   */
  | { readonly topic: 'engine.reload'; readonly payload: { domain: 'nostr' | 'bittensor' | 'all' } }
  /** A watch was added or removed (by any window or CLI process that shares this engine). */
  | { readonly topic: 'engine.pinsChanged'; readonly payload: { domain: 'dvm' | 'hotkey'; key: string; pinned: boolean } }
  /** How far `engine.importEvents` got in `file`: events handed to ingest, of the file's `total`. */
  | { readonly topic: 'engine.importProgress'; readonly payload: { file: string; done: number; total: number } };

export type EngineNotification = CoreNotification | NostrNotification | BittensorNotification;

export type HostToEngine = { readonly type: 'request'; readonly id: number; readonly method: EngineMethod; readonly params: unknown };

export type EngineToHost =
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'notification'; readonly notification: EngineNotification };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isHostToEngine(value: unknown): value is HostToEngine {
  return isRecord(value) && value.type === 'request' && Number.isSafeInteger(value.id) &&
    typeof value.method === 'string' && ENGINE_METHODS.has(value.method) && 'params' in value;
}

export function isEngineToHost(value: unknown): value is EngineToHost {
  if (!isRecord(value)) return false;
  if (value.type === 'response') {
    return Number.isSafeInteger(value.id) && (value.ok === true ? 'result' in value : value.ok === false && typeof value.error === 'string');
  }
  if (value.type === 'notification') {
    const notification = value.notification;
    return isRecord(notification) && typeof notification.topic === 'string' && 'payload' in notification;
  }
  return false;
}
