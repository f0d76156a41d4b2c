import type { DvmRecentEvent } from './pageTypes';
import { idBytes, idHex } from './hexIds';
import { msatsToSats, parseAmountTag } from './payments';
import type { PreparedStatements } from './preparedStatements';

export const RECENT_EVENTS = 100;

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

/** A raw answer as the list reads it: id, kind, created_at, job_id, tags JSON. */
export type RecentEventRow = [id: Uint8Array, kind: number, createdAt: number, jobId: Uint8Array, tagsJson: string];

export function recentEventOf([id, kind, createdAt, jobId, tagsJson]: RecentEventRow): DvmRecentEvent {
  const tags = JSON.parse(tagsJson) as string[][];
  const tag = (name: string) => tags.find((candidate) => candidate[0] === name);
  const isResult = kind !== 7000;
  const status = isResult ? 'result-delivered' : tag('status')?.[1];
  const amountTag = tag('amount');
  const msats = amountTag ? parseAmountTag(amountTag).msats : undefined;
  return {
    id: idHex(id),
    kind,
    role: isResult ? 'result' : 'feedback',
    createdAt,
    requestId: idHex(jobId),
    ...(typeof status === 'string' ? { status } : {}),
    ...(msats !== undefined ? { amountSats: msatsToSats(msats) } : {}),
  };
}
