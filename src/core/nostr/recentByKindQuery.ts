import type { RecentKindJobs } from './pageTypes';
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
  const count = Math.max(1, Math.min(RECENT_PER_KIND, Math.floor(Number.isFinite(perKind) ? perKind : RECENT_PER_KIND)));
  const names = announcedKindNames(sql);
  const people = new PeopleCache(sql);
  const kinds = sql.column<number>('SELECT kind FROM nostr_kinds WHERE requests > 0');
  return kinds
    .map((kind) => ({ kind, name: kindName(kind, names).name, jobs: jobsOfKind(sql, kind, count, people) }))
    .filter((entry) => entry.jobs.length > 0)
    .sort((a, b) => b.jobs[0].createdAt - a.jobs[0].createdAt || a.kind - b.kind);
}
