import type { KindJob, RecentKindJobs } from './pageTypes';
import { kindName } from './kindRegistry';

export const RECENT_PER_KIND = 3;

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
