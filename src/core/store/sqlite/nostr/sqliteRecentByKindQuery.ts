import type { RecentKindJobs } from '../../../nostr/pageTypes';
import { announcedKindNames } from './sqliteDvmNames';
import { jobsOfKind } from './sqliteJobListQuery';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { RECENT_PER_KIND, recentPerKind, recentByKindOf } from '../../../nostr/recentByKindRows';

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
