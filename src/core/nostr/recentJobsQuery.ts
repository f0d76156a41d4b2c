import type { JobStatusText, RecentJob } from '../../protocol/nostrProtocol';
import { announcedKindNames } from './dvmNames';
import { clampLimit } from './dvmQuery';
import { kindName } from './kindRegistry';
import { PeopleCache } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';

type Row = {
  request_id: string; kind: number; customer: string; created_at: number; encrypted: number; cancelled_at: number | null;
  dvm: string | null; status: string | null; response_sec: number | null; dvm_count: number;
};

/**
 * The newest jobs, for the trace's quick pick (DVMDash's debug page listed them the same way). A job answered by
 * several DVMs shows the one whose status moved last (the later stage within one second), and how many answered.
 */
const RECENT_JOBS_SQL = `SELECT lower(hex(j.request_id)) AS request_id, j.kind, lower(hex(j.customer)) AS customer, j.created_at, j.encrypted, j.cancelled_at,
    lower(hex(p.dvm)) AS dvm, p.status, p.response_sec,
    (SELECT count(*) FROM nostr_job_dvms c WHERE c.request_id = j.request_id) AS dvm_count
  FROM (SELECT * FROM nostr_jobs ORDER BY created_at DESC LIMIT ?) j
  LEFT JOIN nostr_job_dvms p ON p.request_id = j.request_id AND p.dvm = (
    SELECT q.dvm FROM nostr_job_dvms q WHERE q.request_id = j.request_id ORDER BY q.status_at DESC, q.status_rank DESC, q.first_at LIMIT 1)
  ORDER BY j.created_at DESC, j.request_id`;

export function recentJobs(sql: PreparedStatements, limit: number | undefined): RecentJob[] {
  const kindNames = announcedKindNames(sql);
  const people = new PeopleCache(sql);
  return sql.all<Row>(RECENT_JOBS_SQL, [clampLimit(limit, 200)]).map((row) => {
    const dvmName = row.dvm ? people.name(row.dvm) : undefined;
    return {
      requestId: row.request_id,
      kind: row.kind,
      kindName: kindName(row.kind, kindNames).name,
      customer: row.customer,
      createdAt: row.created_at,
      status: (row.cancelled_at !== null ? 'cancelled' : row.status ?? 'waiting') as JobStatusText,
      ...(row.dvm ? { dvm: row.dvm } : {}),
      ...(dvmName !== undefined ? { dvmName } : {}),
      responseSec: row.response_sec,
      encrypted: row.encrypted === 1,
      dvmCount: row.dvm_count,
    };
  });
}
