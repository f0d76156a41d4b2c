import type { Migration } from '../migration';

/** The id this step had before it was renumbered (see `up`). */
export const SUPERSEDED_ID = 'nostr-003-history-backfill';

/**
 * Progress of the history backfill (issue 12, "History from day one"), one row per relay, so that a restart resumes
 * where the last run stopped instead of asking the relay for the whole history window again.
 *
 * A run covers [since, started_until] of the relay, one job filter after the other (relayFilters.ts `jobFilters`
 * with `kinds_per_filter` kinds each), newest first: filters before `filter_index` are done, and the current one is
 * done down to `until` (inclusive: that second is asked again, and its repeats are dropped as duplicates by the
 * ingest). `stopped` says why a run that is not done is not running: 'cancelled' (by the user; it waits for a
 * start) or 'budget' (the size budget was reached). Everything here is the engine's own text, never a relay's.
 */
export const historyBackfillMigration: Migration = {
  id: 'nostr-005-history-backfill',
  up(db) {
    // First shipped (unreleased) as 'nostr-003-history-backfill', a number contextVmMigration.ts already had: a
    // database that ran it has the table already, and the old id goes so that the table of steps lists known ids only.
    db.run(`DELETE FROM schema_migrations WHERE id = '${SUPERSEDED_ID}'`);
    db.run(`
      CREATE TABLE IF NOT EXISTS nostr_history_backfill (
        relay TEXT PRIMARY KEY,
        since INTEGER NOT NULL,
        started_until INTEGER NOT NULL,
        kinds_per_filter INTEGER NOT NULL,
        filter_index INTEGER NOT NULL DEFAULT 0,
        until INTEGER NOT NULL,
        events INTEGER NOT NULL DEFAULT 0,
        accepted INTEGER NOT NULL DEFAULT 0,
        done_at INTEGER,
        stopped TEXT
      ) WITHOUT ROWID;
    `);
  },
};
