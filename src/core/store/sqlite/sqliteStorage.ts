import { randomBytes } from 'node:crypto';
import type { BittensorStore } from '../../bittensor/bittensorStore';
import type { NostrStore } from '../../nostr/nostrStore';
import { AlertStateRepo } from './state/alertStateRepo';
import { collectingSince } from './state/collectingSinceQuery';
import { DroppedCountRepo } from './state/droppedCountRepo';
import { PinRepo } from './state/sqlitePinRepo';
import type { EngineStateStore, FlushResult, NostrStoreOptions, SaveState, Storage } from '../storage';
import { sqliteMigrations } from './sqliteMigrations';
import { Store, type OpenNotice, type StoreOptions } from './store';
import { createSqliteBittensorStore } from './sqliteBittensorStore';
import { createSqliteNostrStore } from './sqliteNostrStore';

/**
 * Storage over the embedded sql.js database file (store.ts: loaded whole, flushed by export and rename). The
 * domain stores answer synchronously inside their promises; durability is the Store's debounced flush.
 */
export class SqliteStorage implements Storage {
  readonly kind = 'sqlite' as const;
  readonly sizeBudgeted = true;
  /** The file is this engine's alone (engineLock.ts): always writable. */
  readonly readOnlyReason = undefined;
  readonly engineState: EngineStateStore;

  /** Wraps an open Store; closing the storage closes it. */
  constructor(readonly store: Store) {
    const pins = new PinRepo(store.db);
    const alerts = new AlertStateRepo(store.db);
    const dropped = new DroppedCountRepo(store.db);
    this.engineState = {
      pins: {
        add: async (domain, key, label) => pins.add(domain, key, label),
        remove: async (domain, key) => pins.remove(domain, key),
        list: async (domain) => pins.list(domain),
      },
      alerts: {
        raise: async (key, at) => alerts.raise(key, at),
        clear: async (key) => alerts.clear(key),
        list: async (prefix) => alerts.list(prefix),
      },
      dropped: {
        add: async (reason, count) => dropped.add(reason, count),
        all: async () => dropped.all(),
      },
      collectingSince: async () => collectingSince(store.db),
    };
  }

  /** Opens (or starts) the database file and brings its schema up to date; see Store.open for refusals and notices. */
  static async open(options: Omit<StoreOptions, 'migrations'>): Promise<{ storage: SqliteStorage; notices: OpenNotice[] }> {
    const { store, notices } = await Store.open({ ...options, migrations: sqliteMigrations });
    return { storage: new SqliteStorage(store), notices };
  }

  get location(): string | undefined {
    return this.store.path;
  }

  openNostr(options: NostrStoreOptions): NostrStore {
    return createSqliteNostrStore({ ...options, db: this.store.db, usedBytes: () => this.store.usedBytes() });
  }

  openBittensor(): BittensorStore {
    return createSqliteBittensorStore(this.store.db);
  }

  markDirty(): void {
    this.store.markDirty();
  }

  async flush(): Promise<FlushResult> {
    const { bytes, ms } = await this.store.flush();
    return { bytes, ms };
  }

  saveState(): SaveState {
    return { lastSaveMs: this.store.lastFlush?.ms, lastSaveError: this.store.lastFlushError };
  }

  async usedBytes(): Promise<number> {
    return this.store.usedBytes();
  }

  async compact(): Promise<void> {
    this.store.vacuum();
  }

  async debugFill(megabytes: number): Promise<void> {
    const db = this.store.db;
    db.run('CREATE TABLE IF NOT EXISTS debug_filler (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
    const statement = db.prepare('INSERT INTO debug_filler (payload) VALUES (?)');
    const chunk = 64 * 1024;
    db.run('BEGIN');
    try {
      for (let i = 0; i < Math.ceil((megabytes * 1024 * 1024) / chunk); i++) statement.run([randomBytes(chunk)]);
      db.run('COMMIT');
    } finally {
      statement.free();
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
