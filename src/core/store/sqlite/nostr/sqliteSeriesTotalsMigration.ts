import type { Migration } from '../migration';
import { SERIES_SUM_COLUMNS } from '../../sharedSql/nostrSql';

const cols = SERIES_SUM_COLUMNS.join(', ');
/** A rollup row counts a DVM as active in its bucket (the series' "active DVMs"). */
const active = (row: 'NEW' | 'OLD') => `${row}.dvm <> x'' AND (${row}.results > 0 OR ${row}.feedback > 0)`;
const key = (row: 'NEW' | 'OLD') => `period = ${row}.period AND bucket = ${row}.bucket`;

/**
 * Counts the DVM into its bucket's totals once: the first active row of that DVM in the bucket. (No INSERT OR IGNORE:
 * inside a trigger SQLite applies the firing statement's conflict policy instead, and the tally's upsert has none.)
 */
const ADD_DVM = `
  UPDATE nostr_rollup_totals SET dvms = dvms + 1 WHERE ${key('NEW')} AND ${active('NEW')}
    AND NOT EXISTS (SELECT 1 FROM nostr_rollup_bucket_dvms WHERE ${key('NEW')} AND dvm = NEW.dvm);
  INSERT INTO nostr_rollup_bucket_dvms (period, bucket, dvm) SELECT NEW.period, NEW.bucket, NEW.dvm WHERE ${active('NEW')}
    AND NOT EXISTS (SELECT 1 FROM nostr_rollup_bucket_dvms WHERE ${key('NEW')} AND dvm = NEW.dvm);`;
/** Takes the DVM out when its last active row in the bucket went (the removed row is no longer in nostr_rollups). */
const REMOVE_DVM = `
  UPDATE nostr_rollup_totals SET dvms = dvms - 1 WHERE ${key('OLD')} AND ${active('OLD')}
    AND EXISTS (SELECT 1 FROM nostr_rollup_bucket_dvms WHERE ${key('OLD')} AND dvm = OLD.dvm)
    AND NOT EXISTS (SELECT 1 FROM nostr_rollups r WHERE r.dvm = OLD.dvm AND r.period = OLD.period AND r.bucket = OLD.bucket AND (r.results > 0 OR r.feedback > 0));
  DELETE FROM nostr_rollup_bucket_dvms WHERE ${key('OLD')} AND dvm = OLD.dvm
    AND NOT EXISTS (SELECT 1 FROM nostr_rollups r WHERE r.dvm = OLD.dvm AND r.period = OLD.period AND r.bucket = OLD.bucket AND (r.results > 0 OR r.feedback > 0));`;
/** A bucket whose rows are all gone (retention) leaves no totals row behind. */
const DROP_EMPTY = (row: 'OLD') => `
  DELETE FROM nostr_rollup_totals WHERE ${key(row)}
    AND NOT EXISTS (SELECT 1 FROM nostr_rollups WHERE ${key(row)}) AND NOT EXISTS (SELECT 1 FROM nostr_latency_rollups WHERE ${key(row)} AND metric = 'r');`;

/**
 * Per-bucket totals over every kind and DVM (issue 12's bar: a 30- or 90-day series < 50 ms with 100,000 jobs). The
 * dashboard's series summed every (kind, DVM) row of every bucket — ~30 rows an hour, 21,000 for 30 days of hours —
 * and walked every response-time slot of them. Triggers keep, per (period, bucket):
 * - the sums of nostr_rollups and the number of distinct active DVMs (nostr_rollup_bucket_dvms holds which), exact
 *   under every writer (the tally's upserts, retention's deletes, a history backfill);
 * - `timed` / `timed_slots`: the count and the count-weighted slot sum of the bucket's first-result histogram
 *   (nostr_latency_rollups, metric 'r'). Not the key of seriesRows.ts's remembered medians: both can stay equal while
 *   the median moves (latencyStampMigration.ts keeps that key).
 * Always equal to a GROUP BY over the rollups kept; rows already stored are counted in once here.
 */
export const seriesTotalsMigration: Migration = {
  id: 'nostr-004-series-totals',
  up(db) {
    db.run(`
      CREATE TABLE nostr_rollup_totals (
        period TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        ${SERIES_SUM_COLUMNS.map((column) => `${column} INTEGER NOT NULL DEFAULT 0`).join(',\n        ')},
        dvms INTEGER NOT NULL DEFAULT 0,
        timed INTEGER NOT NULL DEFAULT 0,
        timed_slots INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (period, bucket)
      ) WITHOUT ROWID;
      CREATE TABLE nostr_rollup_bucket_dvms (period TEXT NOT NULL, bucket INTEGER NOT NULL, dvm BLOB NOT NULL, PRIMARY KEY (period, bucket, dvm)) WITHOUT ROWID;

      INSERT INTO nostr_rollup_bucket_dvms (period, bucket, dvm)
        SELECT DISTINCT period, bucket, dvm FROM nostr_rollups WHERE dvm <> x'' AND (results > 0 OR feedback > 0);
      INSERT INTO nostr_rollup_totals (period, bucket, ${cols}, dvms)
        SELECT period, bucket, ${SERIES_SUM_COLUMNS.map((column) => `sum(${column})`).join(', ')},
          (SELECT count(*) FROM nostr_rollup_bucket_dvms d WHERE d.period = r.period AND d.bucket = r.bucket)
        FROM nostr_rollups r GROUP BY period, bucket;
      INSERT INTO nostr_rollup_totals (period, bucket, timed, timed_slots)
        SELECT period, bucket, sum(count), sum(count * slot) FROM nostr_latency_rollups WHERE metric = 'r' GROUP BY period, bucket
        ON CONFLICT (period, bucket) DO UPDATE SET timed = excluded.timed, timed_slots = excluded.timed_slots;

      CREATE TRIGGER nostr_rollups_totals_insert AFTER INSERT ON nostr_rollups BEGIN
        INSERT INTO nostr_rollup_totals (period, bucket, ${cols}) VALUES (NEW.period, NEW.bucket, ${SERIES_SUM_COLUMNS.map((column) => `NEW.${column}`).join(', ')})
          ON CONFLICT (period, bucket) DO UPDATE SET ${SERIES_SUM_COLUMNS.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')};
        ${ADD_DVM}
      END;
      CREATE TRIGGER nostr_rollups_totals_update AFTER UPDATE ON nostr_rollups BEGIN
        UPDATE nostr_rollup_totals SET ${SERIES_SUM_COLUMNS.map((column) => `${column} = ${column} + NEW.${column} - OLD.${column}`).join(', ')} WHERE ${key('NEW')};
        ${ADD_DVM}
      END;
      CREATE TRIGGER nostr_rollups_totals_delete AFTER DELETE ON nostr_rollups BEGIN
        UPDATE nostr_rollup_totals SET ${SERIES_SUM_COLUMNS.map((column) => `${column} = ${column} - OLD.${column}`).join(', ')} WHERE ${key('OLD')};
        ${REMOVE_DVM}
        ${DROP_EMPTY('OLD')}
      END;
      CREATE TRIGGER nostr_latency_rollups_timed_insert AFTER INSERT ON nostr_latency_rollups WHEN NEW.metric = 'r' BEGIN
        INSERT INTO nostr_rollup_totals (period, bucket, timed, timed_slots) VALUES (NEW.period, NEW.bucket, NEW.count, NEW.count * NEW.slot)
          ON CONFLICT (period, bucket) DO UPDATE SET timed = timed + excluded.timed, timed_slots = timed_slots + excluded.timed_slots;
      END;
      CREATE TRIGGER nostr_latency_rollups_timed_update AFTER UPDATE OF count ON nostr_latency_rollups WHEN NEW.metric = 'r' BEGIN
        UPDATE nostr_rollup_totals SET timed = timed + NEW.count - OLD.count, timed_slots = timed_slots + (NEW.count - OLD.count) * NEW.slot WHERE ${key('NEW')};
      END;
      CREATE TRIGGER nostr_latency_rollups_timed_delete AFTER DELETE ON nostr_latency_rollups WHEN OLD.metric = 'r' BEGIN
        UPDATE nostr_rollup_totals SET timed = timed - OLD.count, timed_slots = timed_slots - OLD.count * OLD.slot WHERE ${key('OLD')};
        ${DROP_EMPTY('OLD')}
      END;
    `);
  },
};
