import type { PreparedStatements } from './preparedStatements';
import { periodKeptSec, ROLLUP_PERIODS, type RetentionWindows } from '../../../nostr/rollupPeriods';
import type { RetentionReport } from '../../../nostr/retention';

const EVICT_CHUNK_MIN = 50;
const EVICT_CHUNK_MAX = 5_000;

/** Pins keep hex pubkeys (pins.domain = 'dvm'); the nostr tables keep BLOBs. */
// A key that is not hex would be NULL, and one NULL turns every `NOT IN` below into NULL: filtered out.
const PINNED_DVMS = "SELECT unhex(key) FROM pins WHERE domain = 'dvm' AND unhex(key) IS NOT NULL";
/** A job a pinned DVM answered or was asked to do: kept in full, whatever its age. */
const PINNED_JOB = (jobColumn: string) => `(EXISTS (SELECT 1 FROM nostr_job_dvms pj WHERE pj.request_id = ${jobColumn} AND pj.dvm IN (${PINNED_DVMS}))
  OR EXISTS (SELECT 1 FROM nostr_job_targets pt WHERE pt.request_id = ${jobColumn} AND pt.dvm IN (${PINNED_DVMS})))`;
const UNPINNED_EVENT = `pubkey NOT IN (${PINNED_DVMS}) AND NOT (job_id IS NOT NULL AND ${PINNED_JOB('nostr_events.job_id')})`;

/**
 * DESIGN.md "Data kept": raw events for the raw window, jobs and rollups for the history window, all-time
 * tables forever; whatever touches a pinned DVM is skipped. Counters were added at ingest, so removing rows
 * here never changes an all-time figure. A raw event's id moves to nostr_seen when its row goes, so that a late
 * copy is still known as a duplicate for the history window.
 */
export class NostrRetention {
  constructor(private readonly sql: PreparedStatements) {}

  maintain(now: number, windows: RetentionWindows): RetentionReport {
    const rawCutoff = now - Math.round(windows.rawWindowHours * 3600);
    const historyCutoff = now - Math.round(windows.historyDays * 86_400);
    return this.sql.transaction(() => {
      const rawEvents = this.deleteRaw(`created_at < ? AND ${UNPINNED_EVENT}`, [rawCutoff]);
      const sql = this.sql;
      sql.run(`DELETE FROM nostr_job_dvms WHERE first_at < ? AND NOT ${PINNED_JOB('nostr_job_dvms.request_id')}`, [historyCutoff]);
      sql.run(`DELETE FROM nostr_jobs WHERE created_at < ? AND NOT ${PINNED_JOB('nostr_jobs.request_id')}`, [historyCutoff]);
      const jobs = sql.changes();
      sql.run(`DELETE FROM nostr_job_targets WHERE created_at < ? AND dvm NOT IN (${PINNED_DVMS}) AND NOT ${PINNED_JOB('nostr_job_targets.request_id')}`, [historyCutoff]);
      sql.run(`DELETE FROM nostr_job_links WHERE created_at < ? AND NOT ${PINNED_JOB('nostr_job_links.child_id')} AND NOT ${PINNED_JOB('nostr_job_links.parent_id')}`, [historyCutoff]);
      sql.run('DELETE FROM nostr_deletions WHERE created_at < ? AND target_id NOT IN (SELECT request_id FROM nostr_jobs)', [historyCutoff]);
      sql.run(`DELETE FROM nostr_zaps WHERE created_at < ? AND (dvm IS NULL OR dvm NOT IN (${PINNED_DVMS}))`, [historyCutoff]);
      sql.run('DELETE FROM nostr_seen WHERE created_at < ?', [historyCutoff]);
      // Each rollup period for its own time (rollupPeriods.ts): 5 minutes for the raw window, hours for a month.
      let rollups = 0;
      for (const period of ROLLUP_PERIODS) {
        const cutoff = now - periodKeptSec(period, windows);
        sql.run('DELETE FROM nostr_rollups WHERE period = ? AND bucket < ?', [period, cutoff]);
        rollups += sql.changes();
        sql.run('DELETE FROM nostr_latency_rollups WHERE period = ? AND bucket < ?', [period, cutoff]);
        sql.run('DELETE FROM nostr_user_rollups WHERE period = ? AND bucket < ?', [period, cutoff]);
      }
      sql.run('DELETE FROM nostr_latency_rollups WHERE count = 0');
      sql.run('DELETE FROM nostr_latency_totals WHERE count = 0');
      return { rawEvents, jobs, rollups };
    });
  }

  /** Raw events older than `rawCutoff` leave the raw tier now, as `maintain` would move them at its next run. */
  trimRaw(rawCutoff: number): number {
    return this.sql.transaction(() => this.deleteRaw(`created_at < ? AND ${UNPINNED_EVENT}`, [rawCutoff]));
  }

  /**
   * Size budget: removes the oldest unpinned raw events in chunks until `usedBytes()` fell by `bytes` or none is
   * left; then, if still over, the oldest unpinned jobs. Returns the rows removed.
   */
  evictOldest(bytes: number, usedBytes: () => number): number {
    const target = usedBytes() - bytes;
    let removed = 0;
    while (usedBytes() > target) {
      // Chunks sized from the average raw row, so a small overshoot of the budget does not empty the table.
      const rows = this.sql.get<{ n: number }>('SELECT count(*) AS n FROM nostr_events')?.n ?? 0;
      const perRow = rows > 0 ? usedBytes() / rows : 1;
      const size = Math.min(EVICT_CHUNK_MAX, Math.max(EVICT_CHUNK_MIN, Math.ceil((usedBytes() - target) / perRow)));
      const chunk = this.sql.transaction(() => this.deleteRaw(`seq IN (SELECT seq FROM nostr_events WHERE ${UNPINNED_EVENT} ORDER BY created_at LIMIT ?)`, [size]));
      if (chunk === 0) break;
      removed += chunk;
    }
    while (usedBytes() > target) {
      const chunk = this.sql.transaction(() => {
        const cutoff = this.sql.get<{ at: number | null }>(`SELECT max(created_at) AS at FROM (SELECT created_at FROM nostr_jobs WHERE NOT ${PINNED_JOB('nostr_jobs.request_id')} ORDER BY created_at LIMIT ?)`, [EVICT_CHUNK_MAX])?.at;
        if (cutoff == null) return 0;
        this.sql.run(`DELETE FROM nostr_job_dvms WHERE request_id IN (SELECT request_id FROM nostr_jobs WHERE created_at <= ?) AND NOT ${PINNED_JOB('nostr_job_dvms.request_id')}`, [cutoff]);
        this.sql.run(`DELETE FROM nostr_jobs WHERE created_at <= ? AND NOT ${PINNED_JOB('nostr_jobs.request_id')}`, [cutoff]);
        return this.sql.changes();
      });
      if (chunk === 0) break;
      removed += chunk;
    }
    return removed;
  }

  /** Deletes raw events (and their extra relays), remembering their ids in nostr_seen. */
  private deleteRaw(where: string, params: (string | number)[]): number {
    this.sql.run(`INSERT OR IGNORE INTO nostr_seen (created_at, id8) SELECT created_at, substr(id, 1, 8) FROM nostr_events WHERE ${where}`, params);
    this.sql.run(`DELETE FROM nostr_event_relays WHERE seq IN (SELECT seq FROM nostr_events WHERE ${where})`, params);
    this.sql.run(`DELETE FROM nostr_events WHERE ${where}`, params);
    return this.sql.changes();
  }
}
