import type { JobStatusText } from './nostrTypes';
import type { KindJob } from './pageTypes';
import type { People } from './peopleCache';

export type JobListRow = {
  request_id: string; kind: number; customer: string; created_at: number; encrypted: number; cancelled_at: number | null;
  dvm: string | null; status: string | null; response_sec: number | null; dvm_count: number;
};

export function jobStatus(row: JobListRow): JobStatusText {
  return (row.cancelled_at !== null ? 'cancelled' : row.status ?? 'waiting') as JobStatusText;
}

/** A job list row as a page lists it. */
export function kindJobOf(row: JobListRow, people: People): KindJob {
  const dvmName = row.dvm ? people.name(row.dvm) : undefined;
  return {
    requestId: row.request_id,
    createdAt: row.created_at,
    status: jobStatus(row),
    customer: row.customer,
    ...(row.dvm ? { dvm: row.dvm } : {}),
    ...(dvmName !== undefined ? { dvmName } : {}),
    dvmCount: row.dvm_count,
    responseSec: row.response_sec,
    encrypted: row.encrypted === 1,
  };
}
