import { loadVerifier, verifySignedEvent } from '../../src/core/nostr/signatureVerifier';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { Engine } from '../../src/engine/engine';
import { nostrModule } from '../../src/engine/nostrModule';
import type { EngineStartParams } from '../../src/protocol/engineProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { signedTraffic } from './nostrIngestBench';
import type { StoreBenchContext } from './storeBench';

const EVENTS = 10_000;
/** What a relay collector hands the engine at a time. */
const BATCH = 500;
/**
 * Each store is measured this many times, alternating, on fresh databases; the best run and the median of each are
 * compared (on this shared machine one run of either store swings by a third).
 */
const ROUNDS = 5;

/**
 * Issue 14's bar: ingest into PostgreSQL at >= 90 % of the sql.js rate, same events, real signatures (the full path:
 * shape, id + BIP-340 check, rules, storage). Both stores get the events through the engine's `nostr.ingest`, in
 * batches of 500 handed over as a relay collector hands them (its batcher does not wait for the last batch to be
 * stored). PostgreSQL also as one call to its ingestor. The signature check alone, on the same events, is the ceiling.
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
    sqlJs.push(await engineRate({ dbPath: undefined }, traffic));
    postgres.push(await engineRate({ dbPath: undefined, store: { url: await context.freshDatabase(), listen: false } }, traffic));
    postgresOneCall.push(await postgresOneCallRate(context, traffic));
  }
  const best = (rates: number[]) => Math.max(...rates);
  const median = (rates: number[]) => [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
  context.print(`store ingest sql.js, engine nostr.ingest (verify+classify+link+store, batches of ${BATCH} as a collector hands them): best ${fmt(best(sqlJs))}, median ${fmt(median(sqlJs))} events/s over ${fmt(EVENTS)} signed events (runs: ${sqlJs.map(fmt).join(', ')})`);
  context.print(`store ingest PostgreSQL, engine nostr.ingest, same events and batches: best ${fmt(best(postgres))} = ${percent(best(postgres), best(sqlJs))} of sql.js's best, median ${fmt(median(postgres))} = ${percent(median(postgres), median(sqlJs))} of its median (bar >= 90%; runs: ${postgres.map(fmt).join(', ')})`);
  context.print(`store ingest PostgreSQL, same events in one call to its ingestor (chunks pipelined): ${fmt(best(postgresOneCall))} events/s = ${percent(best(postgresOneCall), best(sqlJs))} of sql.js (runs: ${postgresOneCall.map(fmt).join(', ')})`);
  context.print(`store ingest ceiling: signature check alone (nostr-tools/wasm), same events: ${fmt(verifyRate)} events/s`);
}

/** An engine with the Nostr module only, on the given store; every batch handed over at once, then all awaited. */
async function engineRate(store: Pick<EngineStartParams, 'dbPath' | 'store'>, traffic: readonly NostrEvent[]): Promise<number> {
  const engine = await Engine.start({ ...store, settings: { relays: [] }, collect: false }, { notify: () => undefined, log: { log: () => undefined }, modules: [nostrModule] });
  try {
    const started = performance.now();
    const handed: Promise<{ accepted: number }>[] = [];
    for (let i = 0; i < traffic.length; i += BATCH) handed.push(engine.call('nostr.ingest', { relay: 'wss://bench', events: traffic.slice(i, i + BATCH) }));
    const accepted = (await Promise.all(handed)).reduce((sum, outcome) => sum + outcome.accepted, 0);
    const ms = performance.now() - started;
    if (accepted !== traffic.length) throw new Error(`${store.store ? 'PostgreSQL' : 'sql.js'} accepted ${accepted} of ${traffic.length} events`);
    return rate(traffic.length, ms);
  } finally {
    await engine.dispose();
  }
}

async function postgresOneCallRate(context: StoreBenchContext, traffic: readonly NostrEvent[]): Promise<number> {
  const url = await context.freshDatabase();
  const pool = await openPgPool(url);
  try {
    await runPgMigrations(pool, pgNostrMigrations, url);
    const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => [], countDropped: () => undefined });
    const started = performance.now();
    const { accepted } = await ingestor.ingest('wss://bench', traffic);
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
