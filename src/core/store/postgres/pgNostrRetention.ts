import type pg from 'pg';
import type { RetentionReport } from '../../nostr/retention';
import { periodKeptSec, ROLLUP_PERIODS, type RetentionWindows } from '../../nostr/rollupPeriods';
import { pgRow } from './pgReader';
import { inPgTransaction, NOSTR_WRITE_LOCK, type PgPool } from './pgTransaction';

/**
 * Retention of the Nostr tables on PostgreSQL: retention.ts's rules (read its comments), row for row; a usual pass in
 * one transaction, a large one in batches.
 *
 * Why batched deletes and not partitions: what ages out is not a time range. A pinned DVM's events, and every event
 * of a job a pinned DVM took part in, stay past both windows, so no partition could be dropped whole; each removed
 * raw row's id must be copied into nostr_seen first (a read of every row anyway); and the history tables are cut by
 * pin-aware predicates over other tables. Partitioning nostr_events would also force created_at into its unique
 * key, which the ingest's ON CONFLICT (id) relies on. So: DELETEs of up to a few thousand rows, each batch in its own
 * short transaction under the ingest's advisory lock, so a collector waits at most one batch, and never sees
 * retention inside its read-modify-write of the rules (PgJobRows reads the rows it updates before writing them).
 *
 * Whether a reader may see a pass half done (jobs gone, their targets not yet): not when the pass is small, which is
 * the usual case. The engine runs maintain every minute, so a steady pass removes the minute that aged out: at
 * DVMDash's rate (~5,000 requests and ~20,000 events a day) a few dozen rows, and ~100 a minute even at the 1 million
 * jobs in 90 days of the bench (figures reasoned from those rates, not measured). So maintain first tries the whole
 * pass in one transaction of at most ATOMIC_PASS_ROWS rows (about one HOLD_TARGET_MS batch of lock hold) and commits
 * it only if every rule finished inside it; a pass that needs more rolls that attempt back (one batch's work lost)
 * and runs in batches. One transaction for those would hold the ingest lock
 * for the whole pass, since retention must not run inside an ingest's read-modify-write: the first pass after a
 * collector was down a day is ~11,000 jobs and ~50,000 raw events at the bench's rate (~0.1 ms a triggered row: some
 * seconds), and after shortening the history window from 90 to 30 days ~700,000 jobs (minutes), during which every
 * collector and editor of the team stops ingesting, and a long transaction holds back vacuum on every table. Those
 * passes stay batched and visible half done, as a reader may see a job whose answers came in a later ingest batch than
 * its request. trimRaw and evictOldest remove by size or age on request, with no bound known beforehand: batched.
 */

/**
 * Rows per batch, adapted to what a batch costs: removing a rollup or (job, DVM) row fires triggers that keep the
 * totals (about 0.1 ms a row at 100,000 jobs), a seen id costs nearly nothing. Each table's run starts at
 * FIRST_BATCH_ROWS and resizes its batches towards HOLD_TARGET_MS of lock hold, at most doubling at a step.
 */
const FIRST_BATCH_ROWS = 500;
const MIN_BATCH_ROWS = 50;
const MAX_BATCH_ROWS = 5_000;
const HOLD_TARGET_MS = 50;
/** A pass that removes at most this many rows commits as one transaction (the header says why this size). */
const ATOMIC_PASS_ROWS = FIRST_BATCH_ROWS;
const EVICT_CHUNK_MIN = 50;
const EVICT_CHUNK_MAX = 5_000;
/**
 * Without a measure from the caller, eviction counts the bytes it frees: each row's size plus this for its tuple
 * header, line pointer and index entries. pg_database_size cannot serve: PostgreSQL's files do not shrink on DELETE.
 */
const ROW_OVERHEAD_BYTES = 60;

/** Pins keep hex pubkeys; a key that is not hex is skipped (decode() would fail on it; sql.js's unhex gives NULL). */
const PINNED_DVMS = "SELECT decode(key, 'hex') FROM pins WHERE domain = 'dvm' AND key ~ '^([0-9a-fA-F]{2})*$'";
const PINNED_JOB = (jobColumn: string) => `(EXISTS (SELECT 1 FROM nostr_job_dvms pj WHERE pj.request_id = ${jobColumn} AND pj.dvm IN (${PINNED_DVMS}))
  OR EXISTS (SELECT 1 FROM nostr_job_targets pt WHERE pt.request_id = ${jobColumn} AND pt.dvm IN (${PINNED_DVMS})))`;
const UNPINNED_EVENT = `e.pubkey NOT IN (${PINNED_DVMS}) AND NOT (e.job_id IS NOT NULL AND ${PINNED_JOB('e.job_id')})`;

/** One table's rule of maintain(): the rows WHERE `where` (with $1 the cutoff) go. */
interface HistoryRule {
  readonly table: string;
  readonly where: string;
}

const HISTORY_RULES: readonly HistoryRule[] = [
  { table: 'nostr_job_dvms', where: `first_at < $1 AND NOT ${PINNED_JOB('t.request_id')}` },
  { table: 'nostr_jobs', where: `created_at < $1 AND NOT ${PINNED_JOB('t.request_id')}` },
  { table: 'nostr_job_targets', where: `created_at < $1 AND dvm NOT IN (${PINNED_DVMS}) AND NOT ${PINNED_JOB('t.request_id')}` },
  { table: 'nostr_job_links', where: `created_at < $1 AND NOT ${PINNED_JOB('t.child_id')} AND NOT ${PINNED_JOB('t.parent_id')}` },
  { table: 'nostr_deletions', where: 'created_at < $1 AND target_id NOT IN (SELECT request_id FROM nostr_jobs)' },
  { table: 'nostr_zaps', where: `created_at < $1 AND (dvm IS NULL OR dvm NOT IN (${PINNED_DVMS}))` },
  { table: 'nostr_seen', where: 'created_at < $1' },
];

/** A batch's raw rows leave with their extra relays, their ids kept in nostr_seen; answers (rows, bytes freed). */
const deleteRawBatch = (pick: string) => `WITH batch AS (${pick}),
  seen AS (INSERT INTO nostr_seen (created_at, id8) SELECT created_at, substring(id from 1 for 8) FROM batch ON CONFLICT DO NOTHING),
  relays AS (DELETE FROM nostr_event_relays r USING batch b WHERE r.seq = b.seq),
  gone AS (DELETE FROM nostr_events e USING batch b WHERE e.seq = b.seq RETURNING pg_column_size(e.*) AS size)
  SELECT count(*), coalesce(sum(size), 0) FROM gone`;

/** Rows a batch removed, and their bytes as eviction counts them without a measure. */
interface Removed {
  readonly rows: number;
  readonly bytes: number;
}

/** One delete of a maintain pass, run with at most `limit` rows; `counts`: the report figure its rows add to. */
interface MaintenanceStep {
  readonly counts?: keyof RetentionReport;
  readonly remove: (client: pg.PoolClient, limit: number) => Promise<Removed>;
}

/** Up to `limit` unpinned raw events older than `cutoff` (deleteRawBatch's pick). */
const rawOlderThan = (cutoff: number, limit: number) =>
  `SELECT e.seq, e.id, e.created_at FROM nostr_events e WHERE e.created_at < ${Math.trunc(cutoff)} AND ${UNPINNED_EVENT} LIMIT ${limit}`;

/**
 * Up to `limit` rows of `table` WHERE `where` (by ctid: the tables have composite keys; under the lock no writer
 * moves a row between the pick and the delete, which share one snapshot anyway).
 */
async function deleteWhere(client: pg.PoolClient, table: string, where: string, params: readonly unknown[], limit: number): Promise<Removed> {
  const [rows, bytes] = (await pgRow<[number, number]>(client, `WITH gone AS (DELETE FROM ${table} d
    WHERE d.ctid = ANY(ARRAY(SELECT t.ctid FROM ${table} t WHERE ${where} LIMIT ${limit})) RETURNING pg_column_size(d.*) AS size)
    SELECT count(*), coalesce(sum(size), 0) FROM gone`, params)) ?? [0, 0];
  return { rows, bytes: bytes + rows * ROW_OVERHEAD_BYTES };
}

export interface PgRetentionStats {
  /** Transactions (batches) of the last call. */
  readonly batches: number;
  /** The longest any of them held the ingest's lock, in milliseconds (taking the lock until COMMIT). */
  readonly longestHoldMs: number;
}

export interface PgNostrRetentionOptions {
  /** The store may not be written here (Storage.readOnlyReason, asked once at open): maintain removes nothing. */
  readonly readOnly?: boolean;
  /** Rows a statement removes at most (tests make it small to cross batch boundaries). */
  readonly maxBatchRows?: number;
}

export class PgNostrRetention {
  private batches = 0;
  private longestHoldMs = 0;

  private readonly readOnly: boolean;
  private readonly maxBatchRows: number;

  constructor(private readonly pool: PgPool, options: PgNostrRetentionOptions = {}) {
    this.readOnly = options.readOnly ?? false;
    this.maxBatchRows = options.maxBatchRows ?? MAX_BATCH_ROWS;
  }

  /** How the last maintain / trimRaw / evictOldest went: for benches and logs, never for a rule. */
  get lastRun(): PgRetentionStats {
    return { batches: this.batches, longestHoldMs: this.longestHoldMs };
  }

  /** DESIGN.md "Data kept", as NostrRetention.maintain: the same rows go, the same counts come back. */
  async maintain(now: number, windows: RetentionWindows): Promise<RetentionReport> {
    this.startRun();
    // An editor whose role may not write the store (a team's SELECT-only viewers) leaves retention to the collectors:
    // failing here each minute would also skip what the engine's pass does after it (the liveness alerts).
    if (this.readOnly) return { rawEvents: 0, jobs: 0, rollups: 0 };
    const steps = this.maintenanceSteps(now, windows);
    const removed = await this.inOneTransaction(steps) ?? await this.inBatches(steps);
    const count = (what: keyof RetentionReport) => steps.reduce((sum, step, i) => sum + (step.counts === what ? removed[i] : 0), 0);
    return { rawEvents: count('rawEvents'), jobs: count('jobs'), rollups: count('rollups') };
  }

  /** maintain's deletes, in sql.js's order; `counts`: the report figure a step's rows add to. */
  private maintenanceSteps(now: number, windows: RetentionWindows): MaintenanceStep[] {
    const rawCutoff = now - Math.round(windows.rawWindowHours * 3600);
    const historyCutoff = now - Math.round(windows.historyDays * 86_400);
    return [
      { counts: 'rawEvents', remove: (client, limit) => this.deleteRaw(client, rawOlderThan(rawCutoff, limit)) },
      ...HISTORY_RULES.map((rule): MaintenanceStep => ({
        counts: rule.table === 'nostr_jobs' ? 'jobs' : undefined,
        remove: (client, limit) => deleteWhere(client, rule.table, rule.where, [historyCutoff], limit),
      })),
      // Each rollup period for its own time (rollupPeriods.ts), in sql.js's order: the triggers keep the totals.
      ...ROLLUP_PERIODS.flatMap((period): MaintenanceStep[] => {
        const params = [period, now - periodKeptSec(period, windows)];
        return ['nostr_rollups', 'nostr_latency_rollups', 'nostr_user_rollups'].map((table) => ({
          counts: table === 'nostr_rollups' ? 'rollups' : undefined,
          remove: (client, limit) => deleteWhere(client, table, 'period = $1 AND bucket < $2', params, limit),
        }));
      }),
      { remove: (client, limit) => deleteWhere(client, 'nostr_latency_rollups', 'count = 0', [], limit) },
      { remove: (client, limit) => deleteWhere(client, 'nostr_latency_totals', 'count = 0', [], limit) },
    ];
  }

  /**
   * Every step in one transaction when together they remove at most ATOMIC_PASS_ROWS rows: the rows each removed.
   * Undefined, with nothing removed (rolled back), when a step reached what was left of that bound.
   */
  private async inOneTransaction(steps: readonly MaintenanceStep[]): Promise<number[] | undefined> {
    const tooLarge = new Error('retention pass larger than one transaction');
    try {
      return (await this.batch(async (client) => {
        const rows: number[] = [];
        let left = Math.min(ATOMIC_PASS_ROWS, this.maxBatchRows);
        for (const step of steps) {
          const removed = await step.remove(client, left);
          if (removed.rows >= left) throw tooLarge;
          left -= removed.rows;
          rows.push(removed.rows);
        }
        return rows;
      })).result;
    } catch (error) {
      if (error === tooLarge) return undefined;
      throw error;
    }
  }

  /** Every step drained in short transactions of its own: the rows each removed. */
  private async inBatches(steps: readonly MaintenanceStep[]): Promise<number[]> {
    const rows: number[] = [];
    for (const step of steps) rows.push((await this.drain(step.remove)).rows);
    return rows;
  }

  /** Raw events older than `rawCutoff` leave the raw tier now, as `maintain` would move them at its next run. */
  async trimRaw(rawCutoff: number): Promise<number> {
    this.startRun();
    return this.deleteRawOlderThan(rawCutoff);
  }

  /**
   * The size budget, as NostrRetention.evictOldest: the oldest unpinned raw events in chunks until `usedBytes()`
   * fell by `bytes` or none is left, then the oldest unpinned jobs; returns the rows removed. Without `usedBytes`,
   * the bytes freed are counted from the rows removed (ROW_OVERHEAD_BYTES says why).
   */
  async evictOldest(bytes: number, usedBytes?: () => Promise<number>): Promise<number> {
    this.startRun();
    let freed = 0;
    const used = usedBytes ?? (async () => bytes - freed);
    const target = (await used()) - bytes;
    let removed = 0;
    // Counted once: the chunk size is an estimate, and count(*) reads the whole table at millions of rows.
    let rows = Number((await pgRow<[string]>(this.pool, 'SELECT count(*) FROM nostr_events'))?.[0] ?? 0);
    // A raw row's share of the store: the caller's measure over the rows, or else the table's with its indexes.
    const rawBytes = usedBytes ? undefined : Number((await pgRow<[string]>(this.pool, "SELECT pg_total_relation_size('nostr_events')"))?.[0] ?? 0);
    for (let now = await used(); now > target; now = await used()) {
      const perRow = rows > 0 ? (rawBytes ?? now) / rows : 1;
      const size = Math.min(EVICT_CHUNK_MAX, Math.max(EVICT_CHUNK_MIN, Math.ceil((now - target) / perRow)));
      // Ties on created_at in sql.js's index order (its entries end with the rowid, seq).
      const { result: chunk } = await this.batch((client) => this.deleteRaw(client,
        `SELECT e.seq, e.id, e.created_at FROM nostr_events e WHERE ${UNPINNED_EVENT} ORDER BY e.created_at, e.seq LIMIT ${size}`));
      if (chunk.rows === 0) break;
      removed += chunk.rows;
      rows -= chunk.rows;
      freed += chunk.bytes;
    }
    while ((await used()) > target) {
      const chunk = await this.deleteOldestJobs();
      if (chunk.rows === 0) break;
      removed += chunk.rows;
      freed += chunk.bytes;
    }
    return removed;
  }

  /**
   * sql.js's chunk of jobs (every unpinned job up to the newest of the oldest EVICT_CHUNK_MAX), its pairs and then
   * the jobs removed in batches: 5,000 pairs' triggers in one transaction would hold the lock for a second or more.
   */
  private async deleteOldestJobs(): Promise<Removed> {
    const cutoff = (await pgRow<[number | null]>(this.pool, `SELECT max(created_at) FROM (SELECT created_at FROM nostr_jobs t
      WHERE NOT ${PINNED_JOB('t.request_id')} ORDER BY created_at LIMIT ${EVICT_CHUNK_MAX}) AS oldest`))?.[0];
    if (cutoff == null) return { rows: 0, bytes: 0 };
    const pairs = await this.deleteAll('nostr_job_dvms',
      `request_id IN (SELECT request_id FROM nostr_jobs WHERE created_at <= $1) AND NOT ${PINNED_JOB('t.request_id')}`, [cutoff]);
    const jobs = await this.deleteAll('nostr_jobs', `created_at <= $1 AND NOT ${PINNED_JOB('t.request_id')}`, [cutoff]);
    return { rows: jobs.rows, bytes: jobs.bytes + pairs.bytes };
  }

  /** Every unpinned raw event older than `cutoff`, batch by batch. */
  private async deleteRawOlderThan(cutoff: number): Promise<number> {
    return (await this.drain((client, limit) => this.deleteRaw(client, rawOlderThan(cutoff, limit)))).rows;
  }

  private async deleteRaw(client: pg.PoolClient, pick: string): Promise<Removed> {
    const [rows, bytes] = (await pgRow<[number, number]>(client, deleteRawBatch(pick))) ?? [0, 0];
    return { rows, bytes: bytes + rows * ROW_OVERHEAD_BYTES };
  }

  /** Every row of `table` WHERE `where`, batch by batch (deleteWhere's). */
  private async deleteAll(table: string, where: string, params: readonly unknown[]): Promise<Removed> {
    return this.drain((client, limit) => deleteWhere(client, table, where, params, limit));
  }

  /** Runs `remove` in batches until one removes fewer rows than it was allowed; answers what they removed. */
  private async drain(remove: (client: pg.PoolClient, limit: number) => Promise<Removed>): Promise<Removed> {
    const removed = { rows: 0, bytes: 0 };
    let limit = Math.min(FIRST_BATCH_ROWS, this.maxBatchRows);
    for (;;) {
      const { result, holdMs } = await this.batch((client) => remove(client, limit));
      removed.rows += result.rows;
      removed.bytes += result.bytes;
      if (result.rows < limit) return removed;
      const sized = Math.round((limit * HOLD_TARGET_MS) / Math.max(holdMs, 1));
      limit = Math.min(this.maxBatchRows, 2 * limit, Math.max(Math.min(MIN_BATCH_ROWS, this.maxBatchRows), sized));
    }
  }

  /** One short transaction under the ingest's lock, its hold timed from the lock taken to COMMIT (or ROLLBACK). */
  private async batch<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<{ result: T; holdMs: number }> {
    let lockedAt: number | undefined;
    try {
      const result = await inPgTransaction(this.pool, async (client) => {
        lockedAt = performance.now();
        return work(client);
      }, NOSTR_WRITE_LOCK);
      return { result, holdMs: performance.now() - lockedAt! };
    } finally {
      // A rolled-back attempt (inOneTransaction's) held the lock too, and counts.
      if (lockedAt !== undefined) {
        this.batches++;
        this.longestHoldMs = Math.max(this.longestHoldMs, performance.now() - lockedAt);
      }
    }
  }

  private startRun(): void {
    this.batches = 0;
    this.longestHoldMs = 0;
  }
}
