import { idBytes } from './hexIds';
import type { PreparedStatements } from './preparedStatements';

/** Requests addressed to a DVM this recently and unanswered are waiting on it; older ones were left unanswered. */
export const WAITING_WINDOW_SEC = 86_400;

/**
 * DESIGN.md "A DVM's jobs": a request addressed to the DVM (`p` tag) and not answered is waiting on it, counted apart
 * from its jobs — here those of the last WAITING_WINDOW_SEC that nobody cancelled. Through nostr_job_targets_dvm.
 */
export function waitingOn(sql: PreparedStatements, pubkey: string, now: number): number {
  return (sql.row(`SELECT count(*) FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = ?1 AND t.created_at > ?2 AND t.created_at <= ?3 AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms p WHERE p.request_id = t.request_id AND p.dvm = t.dvm)`,
  [idBytes(pubkey), now - WAITING_WINDOW_SEC, now])?.[0] as number | undefined) ?? 0;
}
