import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { benchIngestVsSqlJs } from './storeIngestBench';
import { benchStoreScale } from './storeScaleBench';

/**
 * `npm run bench store`: the team store on PostgreSQL (issue 14). Prints the private server's start and stop (what
 * every PostgreSQL test file pays), then runs the sections below against one server that keeps PostgreSQL's
 * durability (fsync on), as a team's server would.
 *
 * Adding a measurement: write `async function (context: StoreBenchContext)` (in its own file when it is more than a
 * few lines), give each run its own database with `context.freshDatabase()`, print one line per figure with its bar,
 * and put it in STORE_BENCH_SECTIONS. The ingest bar is measured in storeIngestBench.ts, the 1-million-jobs bars in
 * storeScaleBench.ts.
 */

export interface StoreBenchContext {
  readonly print: (line: string) => void;
  /** A running server, shared by every section; durable (fsync on). */
  readonly server: PostgresServer;
  /** A new, empty database on `server`, as a URL (sections never share one). */
  freshDatabase(): Promise<string>;
}

export interface StoreBenchSection {
  readonly title: string;
  run(context: StoreBenchContext): Promise<void>;
}

export const STORE_BENCH_SECTIONS: readonly StoreBenchSection[] = [
  { title: 'bulk insert into a scratch table', run: benchBulkInsert },
  { title: 'ingest: PostgreSQL vs sql.js', run: benchIngestVsSqlJs },
  { title: '1 million jobs: dashboard metrics and a DVM page', run: benchMillionJobs },
];

const SERVER_STARTS = 3;

export async function runStoreBench(print: (line: string) => void): Promise<void> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < SERVER_STARTS; i++) {
    const started = performance.now();
    const server = await startPostgres();
    starts.push(performance.now() - started);
    const stopping = performance.now();
    await server.stop();
    stops.push(performance.now() - stopping);
  }
  print(`store postgres: private server start (initdb + pg_ctl start, test settings) median ${median(starts).toFixed(0)} ms, ` +
    `stop (pg_ctl stop -m fast + remove folder) median ${median(stops).toFixed(0)} ms, over ${SERVER_STARTS} runs`);

  const started = performance.now();
  const server = await startPostgres({ durable: true });
  print(`store postgres: durable server (fsync on) for the sections below started in ${(performance.now() - started).toFixed(0)} ms`);
  try {
    const context: StoreBenchContext = { print, server, freshDatabase: () => createDatabase(server) };
    for (const section of STORE_BENCH_SECTIONS) {
      print(`store — ${section.title}`);
      await section.run(context);
    }
  } finally {
    await server.stop();
  }
}

const ROWS = 100_000;

/**
 * Raw insert rate into an events-shaped table (64-hex id as primary key, jsonb tags, ON CONFLICT DO NOTHING, as the
 * adapter will write), two ways: multi-row VALUES (a statement per batch size, parameters grow with the batch) and
 * unnest over arrays (one fixed statement, prepared once, any batch size). The adapter's ingest cannot beat these.
 */
export async function benchBulkInsert(context: StoreBenchContext): Promise<void> {
  const url = await context.freshDatabase();
  const pool = await openPgPool(url, { maxConnections: 1 });
  try {
    await pool.query(`CREATE TABLE scratch_events (
      id text PRIMARY KEY, pubkey text NOT NULL, kind integer NOT NULL, created_at bigint NOT NULL, content text NOT NULL, tags jsonb NOT NULL)`);
    await pool.query('CREATE INDEX scratch_events_kind_time ON scratch_events (kind, created_at)');
    const rows = scratchRows(ROWS);

    await pool.query('TRUNCATE scratch_events');
    const valuesMs = await timed(() => insertByValues(pool, rows, 1_000));
    context.print(`store postgres insert, multi-row VALUES, batches of 1,000: ${rate(ROWS, valuesMs)} rows/s (${ROWS.toLocaleString('en-US')} rows)`);

    for (const batch of [1_000, 5_000]) {
      await pool.query('TRUNCATE scratch_events');
      const unnestMs = await timed(() => insertByUnnest(pool, rows, batch));
      context.print(`store postgres insert, unnest arrays, batches of ${batch.toLocaleString('en-US')}: ${rate(ROWS, unnestMs)} rows/s`);
    }
    const againMs = await timed(() => insertByUnnest(pool, rows, 5_000));
    const { rows: [count] } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM scratch_events');
    context.print(`store postgres insert of the same rows again (all conflicts, as a second collector): ${rate(ROWS, againMs)} rows/s; table holds ${count.n.toLocaleString('en-US')}`);
  } finally {
    await pool.end();
  }
}

/** A generated DVMDash-shaped load of 1 million jobs and the page reads timed on it (storeScaleBench.ts). */
export async function benchMillionJobs(context: StoreBenchContext): Promise<void> {
  await benchStoreScale(context);
}

interface ScratchRow {
  readonly id: string;
  readonly pubkey: string;
  readonly kind: number;
  readonly createdAt: number;
  readonly content: string;
  readonly tags: string;
}

function scratchRows(count: number): ScratchRow[] {
  const pubkeys = Array.from({ length: 200 }, () => randomBytes(32).toString('hex'));
  const kinds = [5050, 7000, 6050, 5300, 6300];
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => ({
    id: randomBytes(32).toString('hex'),
    pubkey: pubkeys[i % pubkeys.length],
    kind: kinds[i % kinds.length],
    createdAt: now - (count - i),
    content: `job input ${i}: summarise the attached text in three sentences`,
    tags: JSON.stringify([['e', randomBytes(32).toString('hex')], ['p', pubkeys[(i + 1) % pubkeys.length]], ['param', 'model', 'x']]),
  }));
}

async function insertByValues(pool: pg.Pool, rows: readonly ScratchRow[], batch: number): Promise<void> {
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const values: unknown[] = [];
    const tuples = chunk.map((row, i) => {
      values.push(row.id, row.pubkey, row.kind, row.createdAt, row.content, row.tags);
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::jsonb)`;
    });
    await pool.query(`INSERT INTO scratch_events (id, pubkey, kind, created_at, content, tags) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, values);
  }
}

async function insertByUnnest(pool: pg.Pool, rows: readonly ScratchRow[], batch: number): Promise<void> {
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    await pool.query({
      name: 'scratch-insert-unnest',
      text: `INSERT INTO scratch_events (id, pubkey, kind, created_at, content, tags)
             SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::text[], $6::jsonb[])
             ON CONFLICT DO NOTHING`,
      values: [
        chunk.map((row) => row.id), chunk.map((row) => row.pubkey), chunk.map((row) => row.kind),
        chunk.map((row) => row.createdAt), chunk.map((row) => row.content), chunk.map((row) => row.tags),
      ],
    });
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function rate(count: number, ms: number): string {
  return Math.round(count / (ms / 1000)).toLocaleString('en-US');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
