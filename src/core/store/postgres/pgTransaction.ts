import type pg from 'pg';

/** What the PostgreSQL stores are built on: a pool (a transaction takes one of its connections for its length). */
export type PgPool = pg.Pool;

/** pg_advisory_xact_lock(classid, objid): Swarmscope's locks share the class "SwSc" (its SQLite application id too). */
const LOCK_CLASS = 0x53775363;

/** Schema steps (pgMigrations.ts): two processes starting together apply each step once. */
export const MIGRATIONS_LOCK: readonly [number, number] = [LOCK_CLASS, 1];

/**
 * Whatever rewrites the Nostr tables (the ingest, pgNostrIngest.ts; retention, pgNostrRetention.ts) holds it, so
 * two collectors never interleave inside the rules' read-modify-write, and retention never runs inside one.
 */
export const NOSTR_WRITE_LOCK: readonly [number, number] = [LOCK_CLASS, 2];

/**
 * Every Bittensor write holds it, so two collectors saving the same snapshot replace it in turn (as one collector
 * re-taking it does) instead of one of them failing on the unique key, and each sees the keys, axons and roll-ups the
 * other committed. Snapshots come every 100 blocks per subnet: writes waiting for each other cost nothing that matters.
 */
export const BITTENSOR_WRITE_LOCK: readonly [number, number] = [LOCK_CLASS, 3];

/**
 * Runs `work` inside one transaction on a connection of its own, committed when `work` resolves and rolled back
 * when it throws (the error is rethrown; a failed rollback does not hide it). `lock`: an advisory lock taken first,
 * held until the transaction ends.
 */
export async function inPgTransaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>, lock?: readonly [number, number]): Promise<T> {
  const client = await pool.connect();
  try {
    return await inClientTransaction(client, () => work(client), lock);
  } finally {
    client.release();
  }
}

/** The same on a connection the caller already holds (the migrations check the database on it first). */
export async function inClientTransaction<T>(client: pg.PoolClient, work: () => Promise<T>, lock?: readonly [number, number]): Promise<T> {
  await client.query('BEGIN');
  try {
    if (lock) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lock]);
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
