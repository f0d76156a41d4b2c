import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { BittensorStore } from '../../bittensor/bittensorStore';
import type { NostrStore } from '../../nostr/nostrStore';
import type { Logger } from '../../util/logger';
import type { RemoteChangeListener } from '../remoteChange';
import type { EngineStateStore, FlushResult, NostrStoreOptions, SaveState, Storage } from '../storage';
import { createPgBittensorStore } from './pgBittensorStore';
import { PgChangeFeed } from './pgChangeFeed';
import { openPgPool } from './pgConnection';
import { describePgUrl } from './pgUrl';
import { createPgEngineState } from './pgEngineState';
import { createPgHistoryBackfillStore } from './pgHistoryBackfill';
import { PgNostrRetention } from './pgNostrRetention';
import { createPgNostrStore } from './pgNostrStore';
import { createPgPostedJobStore } from './pgPostedJobs';
import { runPgMigrations, type PgMigration } from './pgMigrations';
import { pgStorageMigrations } from './pgStorageMigrations';
import { pgReadOnlyReason } from './pgWritePrivileges';

export interface PgStorageOptions {
  /** The password when the caller keeps it (the extension's SecretStorage); else PGPASSWORD, else ~/.pgpass. */
  readonly password?: string;
  /** Where the URL was given, named in refusals: `--store` (default) or `swarmscope.storage.url`. */
  readonly urlOrigin?: string;
  readonly log?: Logger;
  /**
   * Hold a connection that LISTENs for other processes' writes (onRemoteChange). Default true; a headless collector
   * that shows nothing passes false and saves the connection.
   */
  readonly listen?: boolean;
  /** The schema steps to apply: tests and benches only (default: pgStorageMigrations, all of them). */
  readonly migrations?: readonly PgMigration[];
}

/**
 * Storage on a team's PostgreSQL server (issue 14): the pool, every schema step applied, and the domain stores over
 * it. Writes are durable as they commit, so markDirty and flush have nothing to do. Other processes' writes reach
 * this one through LISTEN/NOTIFY (pgChangeFeed.ts) as onRemoteChange callbacks.
 *
 * Each storage connects under its own application_name (`swarmscope/<random>`, shown in pg_stat_activity): the
 * notices its own writes send carry it, and its feed skips them.
 */
export class PgStorage implements Storage {
  readonly kind = 'postgres' as const;
  readonly sizeBudgeted = false;
  readonly engineState: EngineStateStore;

  private constructor(
    readonly pool: pg.Pool,
    readonly location: string,
    /** Asked once at open: a team lead grants privileges rarely, and the engine decides at start what to run. */
    readonly readOnlyReason: string | undefined,
    private readonly origin: string,
    private readonly feed: PgChangeFeed | undefined,
    private readonly feedPool: pg.Pool | undefined,
  ) {
    this.engineState = createPgEngineState(pool);
  }

  /**
   * Connects, applies the schema steps the database lacks (refusing a database that is not Swarmscope's, naming its
   * URL without password) and, unless `listen: false`, starts listening. Throws PgUrlRefusedError,
   * PgConnectionError or PgDatabaseRefusedError; nothing is left open then.
   */
  static async open(url: string, options: PgStorageOptions = {}): Promise<PgStorage> {
    const origin = `swarmscope/${randomBytes(4).toString('hex')}`;
    const named = withApplicationName(url, origin);
    const connect = { password: options.password, urlOrigin: options.urlOrigin };
    const pool = await openPgPool(named, { ...connect, onIdleError: (error) => options.log?.log('debug', `PostgreSQL: an idle connection closed (${error.message})`) });
    let feedPool: pg.Pool | undefined;
    try {
      await runPgMigrations(pool, options.migrations ?? pgStorageMigrations, url);
      const readOnlyReason = await pgReadOnlyReason(pool);
      if (options.listen === false) return new PgStorage(pool, describePgUrl(url), readOnlyReason, origin, undefined, undefined);
      feedPool = await openPgPool(named, { ...connect, maxConnections: 1 });
      const feed = await PgChangeFeed.start({ pool: feedPool, origin, log: options.log });
      return new PgStorage(pool, describePgUrl(url), readOnlyReason, origin, feed, feedPool);
    } catch (error) {
      await feedPool?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  openNostr(options: NostrStoreOptions): NostrStore {
    const readOnly = this.readOnlyReason !== undefined;
    return createPgNostrStore({
      ...options,
      pool: this.pool,
      readOnly,
      // Its eviction counts the bytes of the rows it removes: pg_database_size does not fall when rows are deleted.
      retention: new PgNostrRetention(this.pool, { readOnly }),
      postedJobs: createPgPostedJobStore(this.pool),
      historyBackfill: createPgHistoryBackfillStore(this.pool),
    });
  }

  /** The Bittensor store; a saved snapshot is announced to the other processes on this database. */
  openBittensor(): BittensorStore {
    return createPgBittensorStore(this.pool, { readOnly: this.readOnlyReason !== undefined });
  }

  /** Other processes' committed writes; none when opened with `listen: false`. */
  onRemoteChange(listener: RemoteChangeListener): () => void {
    return this.feed?.subscribe(listener) ?? (() => undefined);
  }

  /** This storage's name on the server (application_name), as its notices carry it. */
  get applicationName(): string {
    return this.origin;
  }

  markDirty(): void {
    // Every write has committed by the time its promise resolves.
  }

  async flush(): Promise<FlushResult> {
    return { bytes: 0, ms: 0 };
  }

  saveState(): SaveState {
    return { lastSaveMs: undefined, lastSaveError: undefined };
  }

  async usedBytes(): Promise<number> {
    const result = await this.pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    return Number(result.rows[0].bytes);
  }

  /**
   * A plain VACUUM (with ANALYZE) of the database after a large eviction: it makes the deleted rows' space reusable
   * now rather than when autovacuum comes round, and refreshes the planner's row counts, without blocking the other
   * collectors and editors. The files do not shrink (only VACUUM FULL does that, and it locks every table it
   * rewrites against reads and writes for minutes at millions of rows: not something one editor may do to a team's
   * server). The visibility map lets it skip the pages of tables nothing was deleted from.
   */
  async compact(): Promise<void> {
    await this.pool.query('VACUUM (ANALYZE)');
  }

  async debugFill(megabytes: number): Promise<void> {
    await this.pool.query('CREATE TABLE IF NOT EXISTS debug_filler (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload bytea NOT NULL)');
    const chunk = 64 * 1024;
    const chunks = Math.ceil((megabytes * 1024 * 1024) / chunk);
    // Random bytes: TOAST would compress anything else to nothing.
    for (let i = 0; i < chunks; i += 16) {
      const payloads = Array.from({ length: Math.min(16, chunks - i) }, () => randomBytes(chunk));
      await this.pool.query('INSERT INTO debug_filler (payload) SELECT unnest($1::bytea[])', [payloads]);
    }
  }

  async close(): Promise<void> {
    await this.feed?.close();
    await this.feedPool?.end();
    await this.pool.end();
  }
}

/** Opens the team store at `url`: see PgStorage.open. */
export function openPgStorage(url: string, options: PgStorageOptions = {}): Promise<PgStorage> {
  return PgStorage.open(url, options);
}

/** `url` with our application_name (replacing any it had: the feed tells its own notices by it). */
function withApplicationName(url: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url; // openPgPool refuses it, saying why
  }
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}
