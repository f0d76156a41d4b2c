import type { DvmRecentEvent } from '../../../nostr/pageTypes';
import { idBytes } from '../../../nostr/hexIds';
import type { PreparedStatements } from './preparedStatements';
import { RECENT_EVENTS, type RecentEventRow, recentEventOf } from '../../../nostr/dvmRecentEventRows';

/**
 * A DVM's newest events on jobs: its feedback and results on its RECENT_EVENTS most recently answered jobs (a job
 * has at least one), newest first, from the raw events still kept. The raw table has no index by author; the
 * pairs' (dvm, first_at) index finds the jobs and the job_id index their events.
 */
const RECENT_SQL = `SELECT e.id, e.kind, e.created_at, e.job_id, e.tags FROM
    (SELECT request_id FROM nostr_job_dvms WHERE dvm = ?1 ORDER BY first_at DESC LIMIT ?2) p
  JOIN nostr_events e ON e.job_id = p.request_id
  WHERE e.pubkey = ?1 AND (e.kind = 7000 OR (e.kind >= 6000 AND e.kind <= 6999))
  ORDER BY e.created_at DESC, e.seq DESC LIMIT ?2`;

export function dvmRecentEvents(sql: PreparedStatements, dvm: string): DvmRecentEvent[] {
  return (sql.rows(RECENT_SQL, [idBytes(dvm), RECENT_EVENTS]) as RecentEventRow[]).map((row) => recentEventOf(row));
}
