import type { RecentJob } from './nostrTypes';
import { announcedKindNames } from './dvmNames';
import { clampLimit } from './dvmQuery';
import { jobListSql, jobStatus, type JobListRow } from './jobListQuery';
import { kindName } from './kindRegistry';
import { PeopleCache, type People } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';

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

export function recentJobOf(row: JobListRow, kindNames: ReadonlyMap<number, string>, people: People): RecentJob {
  const dvmName = row.dvm ? people.name(row.dvm) : undefined;
  return {
    requestId: row.request_id,
    kind: row.kind,
    kindName: kindName(row.kind, kindNames).name,
    customer: row.customer,
    createdAt: row.created_at,
    status: jobStatus(row),
    ...(row.dvm ? { dvm: row.dvm } : {}),
    ...(dvmName !== undefined ? { dvmName } : {}),
    responseSec: row.response_sec,
    encrypted: row.encrypted === 1,
    dvmCount: row.dvm_count,
  };
}
