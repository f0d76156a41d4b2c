import type { RecentJob } from '../../nostr/nostrTypes';
import type { KindJob } from '../../nostr/pageTypes';
import { clampLimit } from '../../nostr/dvmListRows';
import { kindJobOf, type JobListRow } from '../../nostr/jobListRows';
import { recentJobOf } from '../../nostr/recentJobRows';
import { pgAnnouncedKindNames } from './pgDvmNames';
import { pgPeople } from './pgPeople';
import { pgId, pgRows, type PgReader } from './pgReader';

/**
 * sqliteJobListQuery.ts on PostgreSQL: jobs with the status a list shows (the DVM whose status moved last, and how many
 * answered). `jobs` chooses and orders the nostr_jobs rows and sets the LIMIT.
 */
export function jobListSql(jobs: string): string {
  return `SELECT encode(j.request_id, 'hex'), j.kind, encode(j.customer, 'hex'), j.created_at, j.encrypted, j.cancelled_at,
    encode(p.dvm, 'hex'), p.status, p.response_sec,
    (SELECT count(*) FROM nostr_job_dvms c WHERE c.request_id = j.request_id)
  FROM (${jobs}) j
  LEFT JOIN nostr_job_dvms p ON p.request_id = j.request_id AND p.dvm = (
    SELECT q.dvm FROM nostr_job_dvms q WHERE q.request_id = j.request_id ORDER BY q.status_at DESC NULLS LAST, q.status_rank DESC, q.first_at, q.dvm LIMIT 1)
  ORDER BY j.created_at DESC, j.request_id`;
}

const OF_KIND = jobListSql('SELECT * FROM nostr_jobs WHERE kind = $1 ORDER BY created_at DESC, request_id DESC LIMIT $2');
const OF_CUSTOMER = jobListSql('SELECT * FROM nostr_jobs WHERE customer = $1 ORDER BY created_at DESC, request_id DESC LIMIT $2');
const RECENT = jobListSql('SELECT * FROM nostr_jobs ORDER BY created_at DESC, request_id DESC LIMIT $1');

export async function jobRows(db: PgReader, text: string, values: readonly unknown[]): Promise<JobListRow[]> {
  return (await pgRows(db, text, values)).map((row) => ({
    request_id: row[0] as string, kind: row[1] as number, customer: row[2] as string, created_at: row[3] as number, encrypted: row[4] as number,
    cancelled_at: row[5] as number | null, dvm: row[6] as string | null, status: row[7] as string | null, response_sec: row[8] as number | null, dvm_count: row[9] as number,
  }));
}

export async function pgJobsOfKind(db: PgReader, kind: number, limit: number): Promise<KindJob[]> {
  const rows = await jobRows(db, OF_KIND, [kind, limit]);
  const people = await pgPeople(db, rows.map((row) => row.dvm));
  return rows.map((row) => kindJobOf(row, people));
}

export async function pgJobsOfCustomer(db: PgReader, customer: string, limit: number): Promise<(KindJob & { kind: number })[]> {
  const rows = await jobRows(db, OF_CUSTOMER, [pgId(customer), limit]);
  const people = await pgPeople(db, rows.map((row) => row.dvm));
  return rows.map((row) => ({ ...kindJobOf(row, people), kind: row.kind }));
}

/** sqliteRecentJobsQuery.ts on PostgreSQL: the newest jobs, for the trace's quick pick. */
export async function pgRecentJobs(db: PgReader, limit: number | undefined): Promise<RecentJob[]> {
  const [names, rows] = await Promise.all([pgAnnouncedKindNames(db), jobRows(db, RECENT, [clampLimit(limit, 200)])]);
  const people = await pgPeople(db, rows.map((row) => row.dvm));
  return rows.map((row) => recentJobOf(row, names, people));
}
