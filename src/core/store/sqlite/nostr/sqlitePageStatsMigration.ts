import type { Database as SqlDatabase } from 'sql.js';
import type { Migration } from '../migration';
import { ANY_KIND, PERIOD_SECONDS, ROLLUP_PERIODS } from '../../../nostr/rollupPeriods';
import { PAIR_SHARE } from '../../sharedSql/nostrSql';

/** Pair columns the shares read: a pair update that leaves them all alone leaves the stats alone. */
const SHARE_INPUTS = ['kind', 'results', 'succeeded', 'errored', 'requested_msats', 'proven_msats', 'first_result_at', 'first_feedback_at'];

const share = (row: 'OLD' | 'NEW') => PAIR_SHARE.map(([, expression]) => expression.replaceAll('R.', `${row}.`));
/** Newest first answer seen: a maximum, so it is only ever raised (a removed pair does not lower it). */
const latest = (column: string) => `${column} = max(coalesce(${column}, excluded.${column}), coalesce(excluded.${column}, ${column}))`;

const ADD_PAIR = `INSERT INTO nostr_dvm_kind_stats (dvm, kind, ${PAIR_SHARE.map(([column]) => column).join(', ')}, last_result_at, last_feedback_at)
    VALUES (NEW.dvm, NEW.kind, ${share('NEW').join(', ')}, NEW.first_result_at, NEW.first_feedback_at)
    ON CONFLICT (dvm, kind) DO UPDATE SET ${PAIR_SHARE.map(([column]) => `${column} = ${column} + excluded.${column}`).join(', ')},
      ${latest('last_result_at')}, ${latest('last_feedback_at')};`;
const REMOVE_PAIR = `UPDATE nostr_dvm_kind_stats SET ${PAIR_SHARE.map(([column], i) => `${column} = ${column} - (${share('OLD')[i]})`).join(', ')}
    WHERE dvm = OLD.dvm AND kind = OLD.kind;`;
/** The common update (a result, a zap, a status on a pair that keeps its kind): one row, by the difference. */
const CHANGE_PAIR = `UPDATE nostr_dvm_kind_stats SET ${PAIR_SHARE.map(([column], i) => `${column} = ${column} + (${share('NEW')[i]}) - (${share('OLD')[i]})`).join(', ')},
      ${['last_result_at', 'last_feedback_at'].map((column, i) => {
        const value = ['NEW.first_result_at', 'NEW.first_feedback_at'][i];
        return `${column} = max(coalesce(${column}, ${value}), coalesce(${value}, ${column}))`;
      }).join(', ')}
    WHERE dvm = NEW.dvm AND kind = NEW.kind;`;

/** Response times per (DVM, kind): metric 'r' = response_sec (first result), 'f' = feedback_sec (first feedback). */
const LATENCY_COLUMNS = [['r', 'response_sec'], ['f', 'feedback_sec']] as const;
type LatencyColumn = (typeof LATENCY_COLUMNS)[number];
// A count that falls to 0 keeps its row (there are at most as many as distinct seconds); readers skip it.
const addLatency = ([metric, column]: LatencyColumn) => `INSERT INTO nostr_dvm_kind_latency (dvm, kind, metric, seconds, count)
    SELECT NEW.dvm, NEW.kind, '${metric}', NEW.${column}, 1 WHERE NEW.${column} IS NOT NULL
    ON CONFLICT (dvm, kind, metric, seconds) DO UPDATE SET count = count + 1;`;
const removeLatency = ([metric, column]: LatencyColumn) => `UPDATE nostr_dvm_kind_latency SET count = count - 1
    WHERE dvm = OLD.dvm AND kind = OLD.kind AND metric = '${metric}' AND seconds = OLD.${column};`;

const PERIODS_TABLE = ROLLUP_PERIODS.map((period, i) => (i === 0 ? `SELECT '${period}' AS period, ${PERIOD_SECONDS[period]} AS size` : `SELECT '${period}', ${PERIOD_SECONDS[period]}`)).join(' UNION ALL ');

/**
 * Schema for the DVM, kind and user pages and the activity series (issue 12). The pages must answer within 50 ms
 * with 100,000 jobs stored, and a walk over a busy DVM's pairs takes longer than that in sql.js, so what they show is
 * kept up to date as the rows change:
 *
 * - nostr_dvm_kind_stats / nostr_dvm_kind_latency: per (DVM, request kind), the sums and exact response-time counts
 *   of the (job, DVM) pairs kept in nostr_job_dvms, maintained by triggers on that table. Triggers, not the ingest
 *   code, because every writer of a pair (the assembler, zaps crediting it, a request arriving after its answers
 *   and moving the pair to its kind, retention and eviction removing it) must move them, and triggers see them all.
 *   They always equal a GROUP BY over the pairs kept: figures of the history window, not all-time.
 * - nostr_user_rollups: distinct request authors per rollup bucket (per kind, and over all kinds as ANY_KIND),
 *   counted when a job is stored: its author is new to a bucket when no other stored job of theirs falls in it.
 *   Kept like the rollups (rollupPeriods.ts); like them, never lowered when jobs are removed.
 * - nostr_jobs (kind, created_at): the newest jobs of one kind (kind page, "recent" per kind).
 * - nostr_profiles.relays: relays a NIP-89 handler names (announcedRelays.ts), JSON array.
 *
 * Rows stored before this step are counted in once (backfillPageStats).
 */
export const pageStatsMigration: Migration = {
  id: 'nostr-002-page-stats',
  up(db) {
    db.run(`
      CREATE TABLE nostr_dvm_kind_stats (
        dvm BLOB NOT NULL,
        kind INTEGER NOT NULL,
        ${PAIR_SHARE.map(([column]) => `${column} INTEGER NOT NULL DEFAULT 0`).join(',\n        ')},
        last_result_at INTEGER,
        last_feedback_at INTEGER,
        PRIMARY KEY (dvm, kind)
      ) WITHOUT ROWID;
      CREATE INDEX nostr_dvm_kind_stats_kind ON nostr_dvm_kind_stats (kind);             -- kind page
      CREATE TABLE nostr_dvm_kind_latency (
        dvm BLOB NOT NULL, kind INTEGER NOT NULL, metric TEXT NOT NULL, seconds INTEGER NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (dvm, kind, metric, seconds)
      ) WITHOUT ROWID;
      CREATE TABLE nostr_user_rollups (
        period TEXT NOT NULL, kind INTEGER NOT NULL, bucket INTEGER NOT NULL, users INTEGER NOT NULL,
        PRIMARY KEY (period, kind, bucket)
      ) WITHOUT ROWID;
      CREATE INDEX nostr_jobs_kind ON nostr_jobs (kind, created_at);                     -- a kind's newest jobs
      ALTER TABLE nostr_profiles ADD COLUMN relays TEXT;
    `);
    backfillPageStats(db);
    db.run(`
      CREATE TRIGGER nostr_job_dvms_stats_insert AFTER INSERT ON nostr_job_dvms BEGIN
        ${ADD_PAIR}
        ${LATENCY_COLUMNS.map(addLatency).join('\n')}
      END;
      CREATE TRIGGER nostr_job_dvms_stats_update AFTER UPDATE ON nostr_job_dvms
      WHEN OLD.kind = NEW.kind AND (${SHARE_INPUTS.filter((column) => column !== 'kind').map((column) => `OLD.${column} IS NOT NEW.${column}`).join(' OR ')}) BEGIN
        ${CHANGE_PAIR}
      END;
      -- A request arriving after its answers moves the pair from kind -1 (or the result's kind) to its own.
      CREATE TRIGGER nostr_job_dvms_stats_move AFTER UPDATE OF kind ON nostr_job_dvms WHEN OLD.kind IS NOT NEW.kind BEGIN
        ${REMOVE_PAIR}
        ${ADD_PAIR}
      END;
      ${LATENCY_COLUMNS.map((entry) => `CREATE TRIGGER nostr_job_dvms_${entry[1]} AFTER UPDATE OF ${entry[1]}, kind ON nostr_job_dvms
      WHEN OLD.${entry[1]} IS NOT NEW.${entry[1]} OR OLD.kind IS NOT NEW.kind BEGIN
        ${removeLatency(entry)}
        ${addLatency(entry)}
      END;`).join('\n      ')}
      CREATE TRIGGER nostr_job_dvms_stats_delete AFTER DELETE ON nostr_job_dvms BEGIN
        ${REMOVE_PAIR}
        ${LATENCY_COLUMNS.map(removeLatency).join('\n')}
      END;
      -- A job's author is new to a bucket when no other stored job of theirs (of that kind) is in it: one probe of
      -- nostr_jobs_customer per period.
      CREATE TRIGGER nostr_jobs_user_rollups AFTER INSERT ON nostr_jobs BEGIN
        INSERT INTO nostr_user_rollups (period, kind, bucket, users)
          SELECT p.period, k.kind, NEW.created_at - NEW.created_at % p.size, 1
          FROM (${PERIODS_TABLE}) p, (SELECT ${ANY_KIND} AS kind UNION ALL SELECT NEW.kind) k
          WHERE NOT EXISTS (SELECT 1 FROM nostr_jobs o WHERE o.customer = NEW.customer
            AND o.created_at >= NEW.created_at - NEW.created_at % p.size AND o.created_at < NEW.created_at - NEW.created_at % p.size + p.size
            AND o.request_id <> NEW.request_id AND (k.kind = ${ANY_KIND} OR o.kind = k.kind))
          ON CONFLICT (period, kind, bucket) DO UPDATE SET users = users + 1;
      END;
    `);
  },
};

/**
 * Counts the rows already stored into the page tables (and 6-hour rollups from the hourly ones kept): what the
 * triggers would have written had they existed when the rows came. Run once, by the migration, on empty tables.
 */
export function backfillPageStats(db: SqlDatabase): void {
  db.run(`
    INSERT INTO nostr_dvm_kind_stats (dvm, kind, ${PAIR_SHARE.map(([column]) => column).join(', ')}, last_result_at, last_feedback_at)
      SELECT dvm, kind, ${share('OLD').map((expression) => `sum(${expression.replaceAll('OLD.', '')})`).join(', ')}, max(first_result_at), max(first_feedback_at)
      FROM nostr_job_dvms GROUP BY dvm, kind;
    ${LATENCY_COLUMNS.map(([metric, column]) => `INSERT INTO nostr_dvm_kind_latency (dvm, kind, metric, seconds, count)
      SELECT dvm, kind, '${metric}', ${column}, count(*) FROM nostr_job_dvms WHERE ${column} IS NOT NULL GROUP BY dvm, kind, ${column};`).join('\n')}
    INSERT INTO nostr_user_rollups (period, kind, bucket, users)
      SELECT p.period, ${ANY_KIND}, j.created_at - j.created_at % p.size, count(DISTINCT j.customer) FROM nostr_jobs j, (${PERIODS_TABLE}) p GROUP BY 1, 2, 3;
    INSERT INTO nostr_user_rollups (period, kind, bucket, users)
      SELECT p.period, j.kind, j.created_at - j.created_at % p.size, count(DISTINCT j.customer) FROM nostr_jobs j, (${PERIODS_TABLE}) p GROUP BY 1, 2, 3;
    INSERT INTO nostr_rollups (period, bucket, kind, dvm, requests, encrypted, results, feedback, answered, successes, errors, sats_requested, sats_earned, sats_proven)
      SELECT 'q', bucket - bucket % ${PERIOD_SECONDS.q}, kind, dvm, sum(requests), sum(encrypted), sum(results), sum(feedback), sum(answered), sum(successes), sum(errors),
        sum(sats_requested), sum(sats_earned), sum(sats_proven)
      FROM nostr_rollups WHERE period = 'h' GROUP BY 2, 3, 4;
    INSERT INTO nostr_latency_rollups (period, bucket, metric, slot, count)
      SELECT 'q', bucket - bucket % ${PERIOD_SECONDS.q}, metric, slot, sum(count) FROM nostr_latency_rollups WHERE period = 'h' GROUP BY 2, 3, 4;
  `);
}
