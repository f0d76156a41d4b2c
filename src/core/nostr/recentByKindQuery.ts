import type { KindJob, RecentKindJobs } from './pageTypes';
import { announcedKindNames } from './dvmNames';
import { jobsOfKind } from './jobListQuery';
import { kindName } from './kindRegistry';
import { PeopleCache } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';

export const RECENT_PER_KIND = 3;

/**
 * DVMDash v0.1's "recent requests": the newest jobs (at most RECENT_PER_KIND) of every request kind with a job kept,
 * the kind with the newest job first. One index range per kind (nostr_jobs_kind).
 */
export function recentByKind(sql: PreparedStatements, perKind = RECENT_PER_KIND): RecentKindJobs[] {
  const count = recentPerKind(perKind);
  const names = announcedKindNames(sql);
  const people = new PeopleCache(sql);
  const kinds = sql.column<number>('SELECT kind FROM nostr_kinds WHERE requests > 0');
  return recentByKindOf(kinds.map((kind) => ({ kind, jobs: jobsOfKind(sql, kind, count, people) })), names);
}

/** How many jobs per kind: the asked number, within 1..RECENT_PER_KIND. */
export function recentPerKind(perKind = RECENT_PER_KIND): number {
  return Math.max(1, Math.min(RECENT_PER_KIND, Math.floor(Number.isFinite(perKind) ? perKind : RECENT_PER_KIND)));
}

/** Kinds with a job kept, the kind with the newest job first. */
export function recentByKindOf(entries: readonly { kind: number; jobs: KindJob[] }[], names: ReadonlyMap<number, string>): RecentKindJobs[] {
  return entries
    .map(({ kind, jobs }) => ({ kind, name: kindName(kind, names).name, jobs }))
    .filter((entry) => entry.jobs.length > 0)
    .sort((a, b) => b.jobs[0].createdAt - a.jobs[0].createdAt || a.kind - b.kind);
}
