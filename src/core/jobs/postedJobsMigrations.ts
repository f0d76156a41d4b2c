import type { Migration } from '../store/migration';

/**
 * "My jobs" (issue 11): the job requests the user posted through `nostr.publish`. Only the id and when it was
 * posted: everything else (kind, status, answers, zaps) is read from the Nostr tables, so there is one truth.
 */
export const postedJobsMigrations: readonly Migration[] = [
  {
    id: 'nostr-posted-001-jobs',
    up(db) {
      db.run(`CREATE TABLE nostr_posted_jobs (request_id BLOB PRIMARY KEY, posted_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX nostr_posted_jobs_posted ON nostr_posted_jobs (posted_at);  -- My jobs, newest first`);
    },
  },
];
