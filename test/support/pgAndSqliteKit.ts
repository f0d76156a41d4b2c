import type pg from 'pg';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations, type PgMigration } from '../../src/core/store/postgres/pgMigrations';
import { openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { createDatabase, startPostgres } from './postgresServer';

/**
 * The two stores side by side, for tests that feed both the same calls and compare what they answer: a private
 * PostgreSQL server with one fresh database migrated by `migrations` (a pool on it), and a sql.js NostrCore in memory.
 */
export interface PgAndSqliteKit {
  readonly pool: pg.Pool;
  readonly sqlite: CoreKit;
  /** Closes both stores and stops the server (removing its folder), all of them even if one fails: throws the first failure. */
  close(): Promise<void>;
}

export async function openPgAndSqliteKit(migrations: readonly PgMigration[]): Promise<PgAndSqliteKit> {
  const server = await startPostgres();
  let pool: pg.Pool | undefined;
  let sqlite: CoreKit | undefined;
  // Every part is closed even when one fails (a server left running outlives the test file); the first failure is
  // then thrown. The server stops last, once the pool has let go of it.
  const close = async () => {
    const settled = await Promise.allSettled([sqlite?.close(), pool?.end()]);
    settled.push(...await Promise.allSettled([server.stop()]));
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    const url = await createDatabase(server);
    pool = await openPgPool(url);
    await runPgMigrations(pool, migrations, url);
    sqlite = await openCore();
    return { pool, sqlite, close };
  } catch (error) {
    // The test's `after` never sees a kit that failed half-way: what it started is released here.
    await close().catch(() => undefined); // the failure that stopped the start is the one to report
    throw error;
  }
}
