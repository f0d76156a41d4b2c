import type { Database as SqlDatabase } from 'sql.js';

/**
 * When this database was made (unix seconds): its first migration. Swarmscope's "all time" figures count from then
 * (plus what the first backfill fetched of the raw window before it, and what was imported), so the UI says so.
 */
export function collectingSince(db: SqlDatabase): number | undefined {
  const value = db.exec('SELECT min(applied_at) FROM schema_migrations')[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : undefined;
}
