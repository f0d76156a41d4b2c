import type { RecentJob } from '../../../nostr/nostrTypes';
import { announcedKindNames } from './sqliteDvmNames';
import { clampLimit } from '../../../nostr/dvmListRows';
import type { JobListRow } from '../../../nostr/jobListRows';
import { jobListSql } from './sqliteJobListQuery';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { recentJobOf } from '../../../nostr/recentJobRows';

/**
 * The newest jobs, for the trace's quick pick (DVMDash's debug page listed them the same way). A job answered by
 * several DVMs shows the one whose status moved last (the later stage within one second), and how many answered.
 */
const RECENT_JOBS_SQL = jobListSql('SELECT * FROM nostr_jobs ORDER BY created_at DESC LIMIT ?');

export function recentJobs(sql: PreparedStatements, limit: number | undefined): RecentJob[] {
  const kindNames = announcedKindNames(sql);
  const people = new PeopleCache(sql);
  return sql.all<JobListRow>(RECENT_JOBS_SQL, [clampLimit(limit, 200)]).map((row) => recentJobOf(row, kindNames, people));
}
