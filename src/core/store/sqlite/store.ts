import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase } from 'sql.js';
import { describeError } from '../../util/errors';
import {
  DatabaseRefusedError, isDamagedSwarmscopeDatabase, markAsSwarmscope, MIGRATIONS_TABLE_SQL, readDatabaseFile, whyNotSwarmscope,
} from './databaseFile';
import type { Migration } from './migration';
import { loadSqlJs } from './sqlRuntime';

export interface StoreOptions {
  /** The database file; undefined keeps the database in memory only (tests, `--db :memory:`). */
  readonly path: string | undefined;
  readonly migrations: readonly Migration[];
  /** Debounce of automatic flushes after a change. */
  readonly flushDelayMs?: number;
}

export interface OpenNotice {
  readonly level: 'warning' | 'error';
  readonly message: string;
}

export interface FlushResult {
  readonly bytes: number;
  readonly ms: number;
  readonly path: string | undefined;
}

/**
 * The one sql.js database. sql.js lives in memory, so durability is ours: a flush exports the whole database to a
 * temporary file beside the real one, fsyncs it and renames it over the old one. Rename is atomic on one file
 * system, so a flush killed at any point leaves either the old file or the new one, never half of either.
 */
export class Store {
  private dirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<FlushResult> | undefined;
  private closed = false;
  lastFlush: FlushResult | undefined;
  lastFlushError: string | undefined;

  private constructor(
    readonly db: SqlDatabase,
    readonly path: string | undefined,
    private readonly flushDelayMs: number,
  ) {}

  /**
   * Opens the database file, or starts one where there is none. A file that is not Swarmscope's is refused with
   * DatabaseRefusedError and left untouched; a Swarmscope database that cannot be read is moved aside and reported.
   */
  static async open(options: StoreOptions): Promise<{ store: Store; notices: OpenNotice[] }> {
    const SQL = await loadSqlJs();
    const notices: OpenNotice[] = [];
    const known = new Set(options.migrations.map((migration) => migration.id));
    const file = options.path ? readDatabaseFile(options.path) : { kind: 'missing' as const };
    let db: SqlDatabase | undefined;
    let fresh = file.kind !== 'sqlite';
    if (options.path && file.kind === 'sqlite') {
      try {
        db = new SQL.Database(file.bytes);
        assertIntact(db);
      } catch (error) {
        db?.close();
        db = undefined;
        if (!isDamagedSwarmscopeDatabase(file.bytes)) {
          throw new DatabaseRefusedError(options.path, `cannot be read as a database (${describeError(error)}) and is not recognisably a Swarmscope database`);
        }
        const aside = moveAside(options.path);
        fresh = true;
        notices.push({
          level: 'error',
          message: `The database ${options.path} could not be read (${describeError(error)}). It was moved to ${aside} and a new, empty database was started.`,
        });
      }
      const foreign = db && whyNotSwarmscope(db, known);
      if (foreign) {
        db?.close();
        throw new DatabaseRefusedError(options.path, foreign);
      }
    }
    // Only now that the file is known to be ours (or absent) are temp files beside it ours to remove.
    if (options.path) removeInterruptedFlushes(options.path);
    db ??= new SQL.Database();
    // The database lives in memory and reaches the disk only by export + rename, so the rollback journal need not
    // touch sql.js' emulated file system: keeping it in memory cuts per-write cost by about a third.
    db.run('PRAGMA journal_mode = MEMORY');
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, options.migrations);
    markAsSwarmscope(db);
    const store = new Store(db, options.path, options.flushDelayMs ?? 2_000);
    // A new database is written at once, so that the file is ours (stamped) from the start.
    if (options.path && fresh) await store.flush();
    return { store, notices };
  }

  /** Call after a write; a flush follows within the debounce delay. */
  markDirty(): void {
    this.dirty = true;
    if (this.flushTimer || this.closed || !this.path) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch(() => undefined);
    }, this.flushDelayMs);
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** Bytes in use (pages minus free pages): what the size budget is measured against. */
  usedBytes(): number {
    const [pageCount, freePages, pageSize] = ['page_count', 'freelist_count', 'page_size'].map(
      (pragma) => this.db.exec(`PRAGMA ${pragma}`)[0].values[0][0] as number,
    );
    return (pageCount - freePages) * pageSize;
  }

  /** Reclaims free pages so that the file shrinks after a large eviction. */
  vacuum(): void {
    this.db.run('VACUUM');
  }

  /** Writes the database to its file; a failure throws an error that names the file (the old file stays intact). */
  async flush(): Promise<FlushResult> {
    if (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.writeFile();
    try {
      const result = await this.flushing;
      this.lastFlush = result;
      this.lastFlushError = undefined;
      return result;
    } catch (error) {
      this.lastFlushError = `could not save the database ${this.path ?? '(in memory)'}: ${describeError(error)}`;
      this.dirty = true;
      throw new Error(this.lastFlushError, { cause: error });
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeFile(): Promise<FlushResult> {
    const started = performance.now();
    this.dirty = false;
    const bytes = this.db.export();
    // export() ends sql.js' open transaction state; foreign keys must be switched on again.
    this.db.run('PRAGMA foreign_keys = ON');
    if (!this.path) return { bytes: bytes.length, ms: performance.now() - started, path: undefined };
    await writeFileAtomically(this.path, bytes);
    return { bytes: bytes.length, ms: performance.now() - started, path: this.path };
  }

  /** Flushes what is not yet on disk, then frees the database. A failed flush throws and leaves the store open. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // A flush under way may fail (and mark the store dirty again): wait for it, then write whatever is not saved.
    if (this.flushing) await this.flushing.catch(() => undefined);
    if (this.dirty && this.path) await this.flush();
    this.closed = true;
    this.db.close();
  }
}

export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    const handle = await fs.promises.open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  } catch (error) {
    // A write that failed part-way (full disk, read-only folder) leaves no half-written temp file behind.
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  // Persist the rename itself; not every platform lets a directory be opened, and that is not fatal.
  try {
    const dir = await fs.promises.open(path.dirname(target), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    /* best effort */
  }
}

/** A flush killed before its rename leaves a temp file beside the database; the database itself is intact. */
function removeInterruptedFlushes(file: string): void {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) return;
  const prefix = `${path.basename(file)}.tmp-`;
  for (const name of fs.readdirSync(dir)) if (name.startsWith(prefix)) fs.rmSync(path.join(dir, name), { force: true });
}

function assertIntact(db: SqlDatabase): void {
  const result = db.exec('PRAGMA quick_check');
  const verdict = result[0]?.values[0]?.[0];
  if (verdict !== 'ok') throw new Error(`integrity check failed: ${String(verdict)}`);
}

function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${file}.corrupt-${stamp}`;
  fs.renameSync(file, aside);
  return aside;
}

function migrate(db: SqlDatabase, migrations: readonly Migration[]): void {
  db.run(MIGRATIONS_TABLE_SQL.replace(/^CREATE TABLE/, 'CREATE TABLE IF NOT EXISTS'));
  const applied = new Set((db.exec('SELECT id FROM schema_migrations')[0]?.values ?? []).map((row) => row[0] as string));
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (seen.has(migration.id)) throw new Error(`duplicate migration id ${migration.id}`);
    seen.add(migration.id);
    if (applied.has(migration.id)) continue;
    db.run('BEGIN');
    try {
      migration.up(db);
      db.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, Math.floor(Date.now() / 1000)]);
      db.run('COMMIT');
    } catch (error) {
      db.run('ROLLBACK');
      throw new Error(`migration ${migration.id} failed: ${describeError(error)}`);
    }
  }
}
