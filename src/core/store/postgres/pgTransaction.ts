import type pg from 'pg';

/** What the PostgreSQL stores are built on: a pool (a transaction takes one of its connections for its length). */
export type PgPool = pg.Pool;

/**
 * pg_advisory_xact_lock(classid, objid) of the Bittensor writes: "SwSc" as the migrations' and the Nostr ingest's
 * locks (pgMigrations.ts, pgNostrIngest.ts), 3 for Bittensor. Every Bittensor write holds it, so two collectors
 * saving the same snapshot replace it in turn (as one collector re-taking it does) instead of one of them failing
 * on the unique key, and each sees the keys, axons and roll-ups the other committed. Snapshots come every 100 blocks
 * per subnet: writes waiting for each other cost nothing that matters.
 */
export const BITTENSOR_WRITE_LOCK: readonly [number, number] = [0x53775363, 3];

/**
 * Runs `work` inside one transaction on a connection of its own, committed when `work` resolves and rolled back
 * when it throws (the error is rethrown; a failed rollback does not hide it). `lock`: an advisory lock taken first,
 * held until the transaction ends.
 */
export async function inPgTransaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>, lock?: readonly [number, number]): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      if (lock) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lock]);
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
