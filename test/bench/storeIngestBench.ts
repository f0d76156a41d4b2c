import { nostrMigrations } from '../../src/core/nostr';
import { NostrIngestor } from '../../src/core/nostr/nostrIngest';
import { PreparedStatements } from '../../src/core/nostr/preparedStatements';
import { loadVerifier, verifySignedEvent } from '../../src/core/nostr/signatureVerifier';
import { coreMigrations } from '../../src/core/store/coreMigrations';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { Store } from '../../src/core/store/store';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { signedTraffic } from './nostrIngestBench';
import type { StoreBenchContext } from './storeBench';

const EVENTS = 10_000;
/** What a relay collector hands the engine at a time. */
const BATCH = 500;
/** Each store is measured this many times, alternating, on fresh databases: the best run of each is compared. */
const ROUNDS = 2;

/**
 * Issue 14's bar: ingest into PostgreSQL at >= 90 % of the sql.js rate, same events, real signatures (the full path:
 * shape, id + BIP-340 check, rules, storage). Both stores get the events in batches of 500, each awaited as the
 * collector awaits it; PostgreSQL also as one call (its chunks pipelined: the next chunk's signatures are checked
 * while the database writes the current one). The signature check alone, on the same events, is the ceiling.
 */
export async function benchIngestVsSqlJs(context: StoreBenchContext): Promise<void> {
  const traffic = signedTraffic(EVENTS);
  await loadVerifier();
  const verifyStarted = performance.now();
  for (const event of traffic) verifySignedEvent(event);
  const verifyRate = rate(traffic.length, performance.now() - verifyStarted);

  const sqlJs: number[] = [];
  const postgres: number[] = [];
  const postgresOneCall: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    sqlJs.push(await sqlJsRate(traffic));
    postgres.push(await postgresRate(context, traffic, BATCH));
    postgresOneCall.push(await postgresRate(context, traffic, traffic.length));
  }
  const best = (rates: number[]) => Math.max(...rates);
  context.print(`store ingest sql.js (verify+classify+link+store, batches of ${BATCH}): ${fmt(best(sqlJs))} events/s over ${fmt(EVENTS)} signed events (runs: ${sqlJs.map(fmt).join(', ')})`);
  context.print(`store ingest PostgreSQL, same events, batches of ${BATCH}: ${fmt(best(postgres))} events/s = ${percent(best(postgres), best(sqlJs))} of sql.js (bar >= 90%; runs: ${postgres.map(fmt).join(', ')})`);
  context.print(`store ingest PostgreSQL, same events in one call (chunks pipelined): ${fmt(best(postgresOneCall))} events/s = ${percent(best(postgresOneCall), best(sqlJs))} of sql.js (runs: ${postgresOneCall.map(fmt).join(', ')})`);
  context.print(`store ingest ceiling: signature check alone (nostr-tools/wasm), same events: ${fmt(verifyRate)} events/s`);
}

async function sqlJsRate(traffic: readonly NostrEvent[]): Promise<number> {
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...nostrMigrations] });
  const sql = new PreparedStatements(store.db);
  const ingestor = new NostrIngestor({ sql, excludedKinds: () => [], countDropped: () => undefined });
  try {
    let accepted = 0;
    const started = performance.now();
    for (let i = 0; i < traffic.length; i += BATCH) accepted += (await ingestor.ingest('wss://bench', traffic.slice(i, i + BATCH))).accepted;
    const ms = performance.now() - started;
    if (accepted !== traffic.length) throw new Error(`sql.js accepted ${accepted} of ${traffic.length} events`);
    return rate(traffic.length, ms);
  } finally {
    sql.dispose();
    await store.close();
  }
}

async function postgresRate(context: StoreBenchContext, traffic: readonly NostrEvent[], batch: number): Promise<number> {
  const url = await context.freshDatabase();
  const pool = await openPgPool(url);
  try {
    await runPgMigrations(pool, pgNostrMigrations, url);
    const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => [], countDropped: () => undefined });
    let accepted = 0;
    const started = performance.now();
    for (let i = 0; i < traffic.length; i += batch) accepted += (await ingestor.ingest('wss://bench', traffic.slice(i, i + batch))).accepted;
    const ms = performance.now() - started;
    if (accepted !== traffic.length) throw new Error(`PostgreSQL accepted ${accepted} of ${traffic.length} events`);
    return rate(traffic.length, ms);
  } finally {
    await pool.end();
  }
}

function rate(count: number, ms: number): number {
  return Math.round(count / (ms / 1000));
}

function fmt(value: number): string {
  return value.toLocaleString('en-US');
}

function percent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}
