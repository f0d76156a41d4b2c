import type { KindJob, UserDvmFigures, UserPage } from './pageTypes';
import { announcedKindNames } from './dvmNames';
import { clampLimit } from './dvmQuery';
import { idBytes, idHex } from './hexIds';
import { jobsOfCustomer } from './jobListQuery';
import { kindName } from './kindRegistry';
import { msatsToSats } from './payments';
import { PeopleCache, type People } from './peopleCache';
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

/** The DVMs that answered the user's scanned jobs: [DVM hex, jobs, results, successes, errors, requested msats, proven msats, last_at]. */
export type UserDvmRow = [dvm: string, jobs: number, results: number, successes: number, errors: number, requested: number, proven: number, lastAt: number];

export interface UserPageParts {
  readonly pubkey: string;
  /** [requests, first_seen, last_at] of nostr_users. */
  readonly user: readonly [number, number, number];
  /** [kind, requests] of nostr_kind_users. */
  readonly kinds: readonly (readonly [number, number])[];
  readonly jobs: readonly (KindJob & { kind: number })[];
  readonly dvms: readonly UserDvmRow[];
  readonly jobsScanned: number;
  readonly names: ReadonlyMap<number, string>;
  readonly people: People;
}

export function userPageOf(parts: UserPageParts): UserPage {
  const { pubkey, user, names, people } = parts;
  const name = people.name(pubkey);
  return {
    pubkey,
    npub: people.npub(pubkey),
    ...(name !== undefined ? { name } : {}),
    requests: user[0],
    firstSeen: user[1],
    lastAt: user[2],
    kinds: [...parts.kinds]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([kind, requests]) => ({ kind, name: kindName(kind, names).name, requests })),
    jobs: parts.jobs.map((job) => ({ ...job, kindName: kindName(job.kind, names).name })),
    dvms: parts.dvms
      .map(([hex, answered, results, successes, errors, requested, proven, lastAt]): UserDvmFigures => {
        const dvmName = people.name(hex);
        return {
          pubkey: hex, npub: people.npub(hex), ...(dvmName !== undefined ? { name: dvmName } : {}),
          jobs: answered, results, successes, errors, satsRequested: msatsToSats(requested), satsProven: msatsToSats(proven), lastAt,
        };
      })
      .sort((a, b) => b.jobs - a.jobs || b.lastAt - a.lastAt),
    jobsScanned: parts.jobsScanned,
  };
}
