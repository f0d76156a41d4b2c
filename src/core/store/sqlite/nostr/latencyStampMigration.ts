import type { Migration } from '../migration';

const key = (row: 'NEW' | 'OLD') => `period = ${row}.period AND bucket = ${row}.bucket`;
const NEXT_STAMP = 'UPDATE nostr_latency_stamp SET n = n + 1 WHERE id = 0;';
const STAMP = '(SELECT n FROM nostr_latency_stamp WHERE id = 0)';

/**
 * A stamp on each bucket's first-result histogram, new on every change to it (seriesRows.ts remembers a bucket's
 * median under it). The histogram's count and weighted slot sum (sqliteSeriesTotalsMigration.ts) were that key before, but
 * answers moving between slots can leave both unchanged with another median. The stamp comes from one counter for the
 * whole store, not one per bucket: a bucket cut by retention and written again never gets a stamp it had before.
 * Insert stamps through an upsert since SQLite orders triggers of one event as it likes (the totals row may not exist
 * yet); update and delete only stamp a row still there (the delete trigger of the totals drops an empty bucket's row).
 */
export const latencyStampMigration: Migration = {
  id: 'nostr-006-latency-stamps',
  up(db) {
    db.run(`
      CREATE TABLE nostr_latency_stamp (id INTEGER PRIMARY KEY CHECK (id = 0), n INTEGER NOT NULL);
      INSERT INTO nostr_latency_stamp (id, n) VALUES (0, 0);
      ALTER TABLE nostr_rollup_totals ADD COLUMN timed_stamp INTEGER NOT NULL DEFAULT 0;

      CREATE TRIGGER nostr_latency_rollups_stamp_insert AFTER INSERT ON nostr_latency_rollups WHEN NEW.metric = 'r' BEGIN
        ${NEXT_STAMP}
        INSERT INTO nostr_rollup_totals (period, bucket, timed_stamp) VALUES (NEW.period, NEW.bucket, ${STAMP})
          ON CONFLICT (period, bucket) DO UPDATE SET timed_stamp = excluded.timed_stamp;
      END;
      CREATE TRIGGER nostr_latency_rollups_stamp_update AFTER UPDATE ON nostr_latency_rollups WHEN NEW.metric = 'r' BEGIN
        ${NEXT_STAMP}
        UPDATE nostr_rollup_totals SET timed_stamp = ${STAMP} WHERE ${key('NEW')};
      END;
      CREATE TRIGGER nostr_latency_rollups_stamp_delete AFTER DELETE ON nostr_latency_rollups WHEN OLD.metric = 'r' BEGIN
        ${NEXT_STAMP}
        UPDATE nostr_rollup_totals SET timed_stamp = ${STAMP} WHERE ${key('OLD')};
      END;
    `);
  },
};
