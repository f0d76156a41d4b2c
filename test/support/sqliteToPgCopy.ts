import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import type pg from 'pg';

/** PostgreSQL binds at most 65,535 parameters a statement. */
const MAX_PARAMS = 60_000;

/**
 * Copies every Nostr table a sql.js store holds into a PostgreSQL store of the same schema (pgNostrMigrations.ts has
 * the same table and column names), so the read side can be compared with the sql.js queries over the very same
 * rows. Triggers are off for the copy (`session_replication_role = replica`, which needs the superuser the test
 * server gives): the derived tables are copied as they are, not derived a second time. BLOBs become bytea.
 */
export async function copySqliteToPg(source: SqlDatabase, target: pg.Pool): Promise<Record<string, number>> {
  const pgTables = new Set((await target.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'nostr\\_%'")).rows.map((row) => row.name));
  const tables = (source.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'nostr\\_%' ESCAPE '\\' ORDER BY name")[0]?.values ?? [])
    .map((row) => row[0] as string)
    .filter((name) => pgTables.has(name));
  const copied: Record<string, number> = {};
  const client = await target.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const table of tables) {
      await client.query(`DELETE FROM ${table}`);
      const result = source.exec(`SELECT * FROM ${table}`)[0];
      copied[table] = result?.values.length ?? 0;
      if (!result || result.values.length === 0) continue;
      const columns = result.columns;
      const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      for (let start = 0; start < result.values.length; start += perStatement) {
        const rows = result.values.slice(start, start + perStatement);
        const values: unknown[] = [];
        const tuples = rows.map((row) => `(${row.map((value) => {
          values.push(toPg(value));
          return `$${values.length}`;
        }).join(', ')})`);
        await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return copied;
}

function toPg(value: SqlValue): unknown {
  return value instanceof Uint8Array ? Buffer.from(value) : value;
}
