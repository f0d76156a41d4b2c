import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlDatabase } from 'sql.js';
import { describeError } from '../util/errors';
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

  static async open(options: StoreOptions): Promise<{ store: Store; notices: OpenNotice[] }> {
    const SQL = await loadSqlJs();
    const notices: OpenNotice[] = [];
    let db: SqlDatabase | undefined;
    if (options.path) removeInterruptedFlushes(options.path);
    if (options.path && fs.existsSync(options.path)) {
      try {
        db = new SQL.Database(fs.readFileSync(options.path));
        assertIntact(db);
      } catch (error) {
        db?.close();
        db = undefined;
        const aside = moveAside(options.path);
        notices.push({
          level: 'error',
          message: `The database ${options.path} could not be read (${describeError(error)}). It was moved to ${aside} and a new, empty database was started.`,
        });
      }
    }
    db ??= new SQL.Database();
    // The database lives in memory and reaches the disk only by export + rename, so the rollback journal need not
    // touch sql.js' emulated file system: keeping it in memory cuts per-write cost by about a third.
    db.run('PRAGMA journal_mode = MEMORY');
    db.run('PRAGMA foreign_keys = ON');
    migrate(db, options.migrations);
    const store = new Store(db, options.path, options.flushDelayMs ?? 2_000);
    if (options.path && !fs.existsSync(options.path)) await store.flush();
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

  async flush(): Promise<FlushResult> {
    if (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.writeFile();
    try {
      const result = await this.flushing;
      this.lastFlush = result;
      this.lastFlushError = undefined;
      return result;
    } catch (error) {
      this.lastFlushError = describeError(error);
      this.dirty = true;
      throw error;
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

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.dirty && this.path) await this.flush();
    else if (this.flushing) await this.flushing.catch(() => undefined);
    this.closed = true;
    this.db.close();
  }
}

export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  const handle = await fs.promises.open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.rename(temp, target);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
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
  db.run('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
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
