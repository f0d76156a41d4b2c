import { idBytes } from './hexIds';
import type { PreparedStatements } from './preparedStatements';

/** Answered (or sent a heartbeat) within this long: up. */
export const UP_WINDOW_SEC = 60 * 60;
/** A request addressed to the DVM (`p` tag) unanswered for this long, with no sign of life since: silent. */
export const SILENT_AFTER_SEC = 10 * 60;

export type Liveness = 'up' | 'silent' | 'unknown';

export interface LivenessState {
  readonly status: Liveness;
  /** Newest answer (result or feedback) or heartbeat (kind 11998). */
  readonly lastSeen: number | null;
}

/**
 * DESIGN.md "Liveness". Silence wins over a recent answer only for requests newer than that answer: a DVM that
 * answered at 12:00 and ignores a request of 12:05 is silent at 12:15.
 */
export function livenessOf(sql: PreparedStatements, pubkey: string, now: number): LivenessState {
  const row = sql.get<{ answer: number | null; beat: number | null }>(
    'SELECT (SELECT last_answer_at FROM nostr_dvms WHERE pubkey = ?1) AS answer, (SELECT last_at FROM nostr_heartbeats WHERE pubkey = ?1) AS beat',
    [idBytes(pubkey)]);
  const seen = [row?.answer, row?.beat].filter((value): value is number => typeof value === 'number' && value <= now);
  const lastSeen = seen.length > 0 ? Math.max(...seen) : null;
  const unanswered = sql.get(`SELECT 1 AS found FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = ? AND t.created_at > ? AND t.created_at <= ? AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
      LIMIT 1`, [idBytes(pubkey), lastSeen ?? -1, now - SILENT_AFTER_SEC]);
  if (unanswered) return { status: 'silent', lastSeen };
  if (lastSeen !== null && lastSeen >= now - UP_WINDOW_SEC) return { status: 'up', lastSeen };
  return { status: 'unknown', lastSeen };
}
