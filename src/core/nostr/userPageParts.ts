import type { KindJob, UserDvmFigures, UserPage } from './pageTypes';
import { kindName } from './kindRegistry';
import { msatsToSats } from './payments';
import type { People } from './peopleCache';

/** The DVMs a user used are read from this many of their newest jobs. */
export const USER_DVM_SCAN_JOBS = 1_000;

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
