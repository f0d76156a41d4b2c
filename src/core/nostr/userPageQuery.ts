import type { UserDvmFigures, UserPage } from './pageTypes';
import { announcedKindNames } from './dvmNames';
import { clampLimit } from './dvmQuery';
import { idBytes, idHex } from './hexIds';
import { jobsOfCustomer } from './jobListQuery';
import { kindName } from './kindRegistry';
import { msatsToSats } from './payments';
import { PeopleCache } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';

/** The DVMs a user used are read from this many of their newest jobs. */
export const USER_DVM_SCAN_JOBS = 1_000;

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
    const names = announcedKindNames(this.sql);
    const name = people.name(pubkey);
    const kinds = (this.sql.rows('SELECT kind, requests FROM nostr_kind_users WHERE pubkey = ?', [key]) as [number, number][])
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([kind, requests]) => ({ kind, name: kindName(kind, names).name, requests }));
    const jobs = jobsOfCustomer(this.sql, pubkey, clampLimit(limit), people).map((job) => ({ ...job, kindName: kindName(job.kind, names).name }));
    const scanned = `SELECT request_id FROM nostr_jobs WHERE customer = ? ORDER BY created_at DESC LIMIT ${USER_DVM_SCAN_JOBS}`;
    const dvms = (this.sql.rows(`SELECT p.dvm, count(*), sum(p.results), sum(p.succeeded), sum(p.errored), sum(p.requested_msats), sum(p.proven_msats), max(p.last_at)
        FROM (${scanned}) j JOIN nostr_job_dvms p ON p.request_id = j.request_id GROUP BY p.dvm`, [key]) as DvmRow[])
      .map(([dvm, answered, results, successes, errors, requested, proven, lastAt]): UserDvmFigures => {
        const hex = idHex(dvm);
        const dvmName = people.name(hex);
        return {
          pubkey: hex, npub: people.npub(hex), ...(dvmName !== undefined ? { name: dvmName } : {}),
          jobs: answered, results, successes, errors, satsRequested: msatsToSats(requested), satsProven: msatsToSats(proven), lastAt,
        };
      })
      .sort((a, b) => b.jobs - a.jobs || b.lastAt - a.lastAt);
    return {
      pubkey,
      npub: people.npub(pubkey),
      ...(name !== undefined ? { name } : {}),
      requests: user[0],
      firstSeen: user[1],
      lastAt: user[2],
      kinds,
      jobs,
      dvms,
      jobsScanned: (this.sql.row(`SELECT count(*) FROM (${scanned})`, [key])?.[0] as number) ?? 0,
    };
  }
}
