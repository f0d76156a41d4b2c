import type { RecentJob } from './nostrTypes';
import { jobStatus, type JobListRow } from './jobListRows';
import { kindName } from './kindRegistry';
import type { People } from './peopleCache';

export function recentJobOf(row: JobListRow, kindNames: ReadonlyMap<number, string>, people: People): RecentJob {
  const dvmName = row.dvm ? people.name(row.dvm) : undefined;
  return {
    requestId: row.request_id,
    kind: row.kind,
    kindName: kindName(row.kind, kindNames).name,
    customer: row.customer,
    createdAt: row.created_at,
    status: jobStatus(row),
    ...(row.dvm ? { dvm: row.dvm } : {}),
    ...(dvmName !== undefined ? { dvmName } : {}),
    responseSec: row.response_sec,
    encrypted: row.encrypted === 1,
    dvmCount: row.dvm_count,
  };
}
