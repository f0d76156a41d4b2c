import type pg from 'pg';

/** What the PostgreSQL stores are built on: a pool (a transaction takes one of its connections for its length). */
export type PgPool = pg.Pool;

/**
 * Runs `work` inside one transaction on a connection of its own, committed when `work` resolves and rolled back
 * when it throws (the error is rethrown; a failed rollback does not hide it).
 */
export async function inPgTransaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    client.release();
  }
}
