import type { Migration } from '../migration';

/**
 * "My jobs" (issue 11): the job requests the user posted through `nostr.publish`. Status, answers and zaps are read
 * from the Nostr tables, so there is one truth; the signed request itself is kept here too (002), because the raw
 * copy goes after settings.rawWindowHours and a job of last week must still show its input and be posted again.
 */
export const postedJobsMigrations: readonly Migration[] = [
  {
    id: 'nostr-posted-001-jobs',
    up(db) {
      db.run(`CREATE TABLE nostr_posted_jobs (request_id BLOB PRIMARY KEY, posted_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX nostr_posted_jobs_posted ON nostr_posted_jobs (posted_at);  -- My jobs, newest first`);
    },
  },
  {
    id: 'nostr-posted-002-request',
    up(db) {
      // The signed request as JSON (NostrEvent).
      db.run('ALTER TABLE nostr_posted_jobs ADD COLUMN request TEXT');
    },
  },
];
