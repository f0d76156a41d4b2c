import type { UserPage } from '../../../nostr/pageTypes';
import { announcedKindNames } from './sqliteDvmNames';
import { clampLimit } from '../../../nostr/dvmListRows';
import { idBytes, idHex } from '../../../nostr/hexIds';
import { jobsOfCustomer } from './sqliteJobListQuery';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { USER_DVM_SCAN_JOBS, type UserDvmRow, userPageOf } from '../../../nostr/userPageParts';

type DvmRow = [dvm: Uint8Array, jobs: number, results: number, successes: number, errors: number, requested: number, proven: number, lastAt: number];

/**
 * The user page (issue 12; DESIGN.md "User": the author of a request): all-time requests per kind, their newest jobs
 * with each job's status, and the DVMs that answered them.
 */
export class UserPageQuery {
  constructor(private readonly sql: PreparedStatements) {}

  page(pubkey: string, limit?: number): UserPage | null {
    const key = idBytes(pubkey);
    const user = this.sql.row('SELECT requests, first_seen, last_at FROM nostr_users WHERE pubkey = ?', [key]) as [number, number, number] | undefined;
    if (!user) return null;
    const people = new PeopleCache(this.sql);
    const scanned = `SELECT request_id FROM nostr_jobs WHERE customer = ? ORDER BY created_at DESC LIMIT ${USER_DVM_SCAN_JOBS}`;
    return userPageOf({
      pubkey,
      user,
      kinds: this.sql.rows('SELECT kind, requests FROM nostr_kind_users WHERE pubkey = ?', [key]) as [number, number][],
      jobs: jobsOfCustomer(this.sql, pubkey, clampLimit(limit), people),
      dvms: (this.sql.rows(`SELECT p.dvm, count(*), sum(p.results), sum(p.succeeded), sum(p.errored), sum(p.requested_msats), sum(p.proven_msats), max(p.last_at)
        FROM (${scanned}) j JOIN nostr_job_dvms p ON p.request_id = j.request_id GROUP BY p.dvm`, [key]) as DvmRow[]).map(([dvm, ...figures]): UserDvmRow => [idHex(dvm), ...figures]),
      jobsScanned: (this.sql.row(`SELECT count(*) FROM (${scanned})`, [key])?.[0] as number) ?? 0,
      names: announcedKindNames(this.sql),
      people,
    });
  }
}
