import { idBytes } from '../../../nostr/hexIds';
import type { PreparedStatements } from './preparedStatements';
import { WAITING_WINDOW_SEC } from '../../../nostr/liveness';

/**
 * DESIGN.md "A DVM's jobs": a request addressed to the DVM (`p` tag) and not answered is waiting on it, counted apart
 * from its jobs — here those of the last WAITING_WINDOW_SEC that nobody cancelled. Through nostr_job_targets_dvm.
 * One text for the DVM row's count and the DVM page's per-kind counts, so the two cannot disagree.
 */
const WAITING_JOBS = `FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = ?1 AND t.created_at > ?2 AND t.created_at <= ?3 AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms p WHERE p.request_id = t.request_id AND p.dvm = t.dvm)`;

/** Requests waiting on the DVM `pubkey` at `now`. */
export function waitingOn(sql: PreparedStatements, pubkey: string, now: number): number {
  return (sql.row(`SELECT count(*) ${WAITING_JOBS}`, [idBytes(pubkey), now - WAITING_WINDOW_SEC, now])?.[0] as number | undefined) ?? 0;
}

/** The same requests, counted per job kind. */
export function waitingByKind(sql: PreparedStatements, pubkey: string, now: number): Map<number, number> {
  return new Map(sql.rows(`SELECT j.kind, count(*) ${WAITING_JOBS} GROUP BY j.kind`, [idBytes(pubkey), now - WAITING_WINDOW_SEC, now]) as [number, number][]);
}
