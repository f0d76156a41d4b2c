import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { pgEngineStateMigrations } from '../../src/core/store/postgres/pgEngineStateMigrations';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrIndexMigrations } from '../../src/core/store/postgres/pgNostrIndexMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrRetention } from '../../src/core/store/postgres/pgNostrRetention';
import { createDatabase, startPostgres } from '../support/postgresServer';
import type { StoreBenchContext } from './storeBench';
import { DVMDASH_SHAPE, writeScaleLoad } from './storeScaleLoad';

const NOW = 1_760_000_000 + 1_234;
const EVICT_BYTES = 5_000_000;

/**
 * Retention of a DVMDash-shaped store on PostgreSQL (pgNostrRetention.ts): `jobs` jobs over two years, then one
 * maintain pass with a 24-hour raw window (half the generated raw events go) and the default 90 days of history
 * (most jobs go), with its triggers on. Prints the time, the batches and the longest any batch held the ingest's
 * lock: what a collector writing meanwhile waits at most. Then evictOldest of EVICT_BYTES, measured the same way.
 */
export async function benchNostrRetention(context: StoreBenchContext, jobs = 100_000): Promise<void> {
  const url = await context.freshDatabase();
  const loader = await openPgPool(url);
  try {
    await runPgMigrations(loader, [...pgEngineStateMigrations, ...pgNostrMigrations, ...pgNostrIndexMigrations], url);
    await writeScaleLoad(loader, { ...DVMDASH_SHAPE, jobs, now: NOW });
  } finally {
    // The loader's connections turned triggers off (session_replication_role): retention gets a pool of its own.
    await loader.end();
  }
  const pool = await openPgPool(url);
  try {
    const count = async (table: string) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const before = { jobs: await count('nostr_jobs'), events: await count('nostr_events') };
    const retention = new PgNostrRetention(pool);
    const started = performance.now();
    const report = await retention.maintain(NOW, { rawWindowHours: 24, historyDays: 90 });
    const ms = performance.now() - started;
    const { batches, longestHoldMs } = retention.lastRun;
    context.print(`store retention: ${before.jobs.toLocaleString('en')} jobs, ${before.events.toLocaleString('en')} raw events; maintain(24 h raw, 90 d) removed ` +
      `${report.rawEvents.toLocaleString('en')} raw events, ${report.jobs.toLocaleString('en')} jobs, ${report.rollups.toLocaleString('en')} rollup rows ` +
      `in ${(ms / 1000).toFixed(1)} s, ${batches} batches, longest lock hold ${longestHoldMs.toFixed(0)} ms`);
    // The size budget over what is left: the raw events, then the oldest jobs (chunks of 5,000 with their pairs).
    const evictStarted = performance.now();
    const evicted = await retention.evictOldest(EVICT_BYTES);
    const evictMs = performance.now() - evictStarted;
    context.print(`store retention: evictOldest(${EVICT_BYTES / 1e6} MB, counted from the rows) removed ${evicted.toLocaleString('en')} rows ` +
      `in ${(evictMs / 1000).toFixed(1)} s, ${retention.lastRun.batches} batches, longest lock hold ${retention.lastRun.longestHoldMs.toFixed(0)} ms`);
  } finally {
    await pool.end();
  }
}

// `node --import tsx test/bench/storeRetentionBench.ts [jobs]`: this section alone, on a durable server of its own.
if (require.main === module) {
  void (async () => {
    const server = await startPostgres({ durable: true });
    try {
      await benchNostrRetention({ print: console.log, server, freshDatabase: () => createDatabase(server) } as StoreBenchContext, Number(process.argv[2] ?? 100_000));
    } finally {
      await server.stop();
    }
  })();
}
