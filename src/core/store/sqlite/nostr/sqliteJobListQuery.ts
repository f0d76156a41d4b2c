import type { KindJob } from '../../../nostr/pageTypes';
import { idBytes } from '../../../nostr/hexIds';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { type JobListRow, kindJobOf } from '../../../nostr/jobListRows';

/**
 * Jobs with the status a list shows: of the DVMs that answered, the one whose status moved last (the later stage
 * within one second), and how many answered. `jobs` is a subquery over nostr_jobs choosing and ordering the rows
 * (it sets the LIMIT); the list comes back newest first.
 */
export function jobListSql(jobs: string): string {
  return `SELECT lower(hex(j.request_id)) AS request_id, j.kind, lower(hex(j.customer)) AS customer, j.created_at, j.encrypted, j.cancelled_at,
    lower(hex(p.dvm)) AS dvm, p.status, p.response_sec,
    (SELECT count(*) FROM nostr_job_dvms c WHERE c.request_id = j.request_id) AS dvm_count
  FROM (${jobs}) j
  LEFT JOIN nostr_job_dvms p ON p.request_id = j.request_id AND p.dvm = (
    SELECT q.dvm FROM nostr_job_dvms q WHERE q.request_id = j.request_id ORDER BY q.status_at DESC, q.status_rank DESC, q.first_at LIMIT 1)
  ORDER BY j.created_at DESC, j.request_id`;
}

const OF_KIND = jobListSql('SELECT * FROM nostr_jobs WHERE kind = ? ORDER BY created_at DESC LIMIT ?');
const OF_CUSTOMER = jobListSql('SELECT * FROM nostr_jobs WHERE customer = ? ORDER BY created_at DESC LIMIT ?');

/** The newest jobs of one request kind (nostr_jobs_kind). */
export function jobsOfKind(sql: PreparedStatements, kind: number, limit: number, people = new PeopleCache(sql)): KindJob[] {
  return sql.all<JobListRow>(OF_KIND, [kind, limit]).map((row) => kindJobOf(row, people));
}

/** The newest jobs one user requested (nostr_jobs_customer). */
export function jobsOfCustomer(sql: PreparedStatements, customer: string, limit: number, people = new PeopleCache(sql)): (KindJob & { kind: number })[] {
  return sql.all<JobListRow>(OF_CUSTOMER, [idBytes(customer), limit]).map((row) => ({ ...kindJobOf(row, people), kind: row.kind }));
}
