import type { RecentKindJobs, UserPage } from '../../nostr/pageTypes';
import { clampLimit } from '../../nostr/dvmListRows';
import { recentByKindOf, recentPerKind } from '../../nostr/recentByKindRows';
import { userPageOf, USER_DVM_SCAN_JOBS, type UserDvmRow } from '../../nostr/userPageParts';
import { pgAnnouncedKindNames } from './pgDvmNames';
import { pgJobsOfCustomer, pgJobsOfKind } from './pgJobLists';
import { pgPeople } from './pgPeople';
import { pgColumn, pgHex, pgId, pgRow, pgRows, pgValue, type PgReader } from './pgReader';

/** sqliteUserPageQuery.ts on PostgreSQL. */
export async function pgUserPage(db: PgReader, pubkey: string, limit?: number): Promise<UserPage | null> {
  const key = pgId(pubkey);
  const user = await pgRow<[number, number, number]>(db, 'SELECT requests, first_seen, last_at FROM nostr_users WHERE pubkey = $1', [key]);
  if (!user) return null;
  const scanned = `SELECT request_id FROM nostr_jobs WHERE customer = $1 ORDER BY created_at DESC, request_id DESC LIMIT ${USER_DVM_SCAN_JOBS}`;
  const [names, kinds, jobs, dvms, jobsScanned] = await Promise.all([
    pgAnnouncedKindNames(db),
    pgRows<[number, number]>(db, 'SELECT kind, requests FROM nostr_kind_users WHERE pubkey = $1 ORDER BY kind', [key]),
    pgJobsOfCustomer(db, pubkey, clampLimit(limit)),
    pgRows<[Buffer, number, number, number, number, number, number, number]>(db, `SELECT p.dvm, count(*), sum(p.results), sum(p.succeeded), sum(p.errored), sum(p.requested_msats), sum(p.proven_msats), max(p.last_at)
        FROM (${scanned}) j JOIN nostr_job_dvms p ON p.request_id = j.request_id GROUP BY p.dvm ORDER BY p.dvm`, [key]),
    pgValue<number>(db, `SELECT count(*) FROM (${scanned}) s`, [key]),
  ]);
  const dvmRows: UserDvmRow[] = dvms.map(([dvm, ...figures]) => [pgHex(dvm), ...figures]);
  const people = await pgPeople(db, [pubkey, ...dvmRows.map((row) => row[0])]);
  return userPageOf({ pubkey, user, kinds, jobs, dvms: dvmRows, jobsScanned: jobsScanned ?? 0, names, people });
}

/** sqliteRecentByKindQuery.ts on PostgreSQL: the newest few jobs of every requested kind. */
export async function pgRecentByKind(db: PgReader, perKind?: number): Promise<RecentKindJobs[]> {
  const count = recentPerKind(perKind);
  const [names, kinds] = await Promise.all([pgAnnouncedKindNames(db), pgColumn<number>(db, 'SELECT kind FROM nostr_kinds WHERE requests > 0 ORDER BY kind')]);
  const jobs = await Promise.all(kinds.map((kind) => pgJobsOfKind(db, kind, count)));
  return recentByKindOf(kinds.map((kind, i) => ({ kind, jobs: jobs[i] })), names);
}
