import type pg from 'pg';
import { inClientTransaction, MIGRATIONS_LOCK } from './pgTransaction';
import { describePgUrl } from './pgUrl';

/**
 * Schema steps for the PostgreSQL store, recorded in `swarmscope_migrations`. Several processes share one database
 * (a headless collector and every editor of a team), and they may start at the same moment: each step runs in its
 * own transaction under a transaction-level advisory lock, and re-reads what is applied once it holds the lock, so
 * every step runs exactly once whoever gets there first.
 *
 * A database that holds tables but no `swarmscope_migrations` belongs to something else: it is refused and left
 * untouched, as the sql.js store refuses a foreign file.
 */

/** One schema step. Ids are never reused or renamed; steps run in list order. Statements must be transactional. */
export interface PgMigration {
  readonly id: string;
  readonly statements: readonly string[];
}

/** The database is not Swarmscope's to migrate; the message says what was found and that nothing was changed. */
export class PgDatabaseRefusedError extends Error {
  override readonly name = 'PgDatabaseRefusedError';

  constructor(where: string, what: string) {
    super(`The PostgreSQL database ${where} ${what}. Swarmscope uses only an empty database or its own, and left this one untouched.`);
  }
}

export interface PgMigrationResult {
  /** Ids this run applied (others were applied before, or by a process that got the lock first). */
  readonly applied: readonly string[];
}

const MIGRATIONS_TABLE = 'swarmscope_migrations';

/**
 * Applies the steps of `migrations` that the database lacks. `url` is only for messages (describePgUrl strips any
 * password). Throws PgDatabaseRefusedError for a database that is not ours, and the failing step's error (with
 * its id) otherwise; a failed step leaves the steps before it applied and nothing of itself.
 */
export async function runPgMigrations(pool: pg.Pool, migrations: readonly PgMigration[], url: string): Promise<PgMigrationResult> {
  const known = new Set<string>();
  for (const migration of migrations) {
    if (known.has(migration.id)) throw new Error(`PostgreSQL migration id ${JSON.stringify(migration.id)} is listed twice`);
    known.add(migration.id);
  }
  const where = describePgUrl(url);
  const applied: string[] = [];
  const client = await pool.connect();
  try {
    await inLockedTransaction(client, () => claimDatabase(client, where, known));
    for (const migration of migrations) {
      await inLockedTransaction(client, async () => {
        // Read under the lock: a process that held it before us may have applied this step a moment ago.
        const done = await client.query(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE id = $1`, [migration.id]);
        if (done.rowCount !== 0) return;
        for (const statement of migration.statements) {
          try {
            await client.query(statement);
          } catch (error) {
            throw new Error(`PostgreSQL migration ${migration.id} failed on ${where}: ${(error as Error).message}`, { cause: error });
          }
        }
        await client.query(`INSERT INTO ${MIGRATIONS_TABLE} (id, applied_at) VALUES ($1, $2)`, [migration.id, Date.now()]);
        applied.push(migration.id);
      });
    }
  } finally {
    client.release();
  }
  return { applied };
}

function inLockedTransaction(client: pg.PoolClient, work: () => Promise<void>): Promise<void> {
  return inClientTransaction(client, work, MIGRATIONS_LOCK);
}

/**
 * Makes sure the database is ours: creates the migrations table in an empty one (the current schema, usually
 * `public`), refuses one with other tables and no migrations table, or one whose migrations table lists steps this
 * version does not know (a newer Swarmscope's schema, which this one could damage).
 */
async function claimDatabase(client: pg.PoolClient, where: string, known: ReadonlySet<string>): Promise<void> {
  // pg_class rather than information_schema, which lists only the tables this role has privileges on: a foreign
  // table we may not read is still foreign.
  const tables = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
  );
  const names = tables.rows.map((row) => row.name);
  if (!names.includes(MIGRATIONS_TABLE)) {
    if (names.length > 0) {
      const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} in all)` : '');
      throw new PgDatabaseRefusedError(where, `has tables (${shown}) but no ${MIGRATIONS_TABLE} table: it belongs to another application`);
    }
    await client.query(`CREATE TABLE ${MIGRATIONS_TABLE} (id text PRIMARY KEY, applied_at bigint NOT NULL)`);
    return;
  }
  const ids = await client.query<{ id: string }>(`SELECT id FROM ${MIGRATIONS_TABLE} ORDER BY applied_at, id`);
  const unknown = ids.rows.map((row) => row.id).find((id) => !known.has(id));
  if (unknown !== undefined) {
    throw new PgDatabaseRefusedError(where, `was migrated by a newer Swarmscope (its ${MIGRATIONS_TABLE} lists ${JSON.stringify(unknown)}, unknown to this version): update Swarmscope`);
  }
}
