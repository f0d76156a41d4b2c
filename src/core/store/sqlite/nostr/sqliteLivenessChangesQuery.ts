import { MAX_CHANGED, type LivenessThresholds } from '../../../nostr/liveness';
import type { PreparedStatements } from './preparedStatements';

/**
 * DVMs whose liveness (liveness.ts) may have changed between `since` and `now` by time passing alone, with no event
 * arriving to say so: an answer or heartbeat leaving the up window (up → unknown), or a request addressed to them
 * (`p` tag) passing the silence threshold unanswered (→ silent). Coming back to life is an event, and already a change.
 * Only DVMs the views list (nostr_dvms) are named.
 *
 * The bounds follow livenessOf's comparisons: up while `lastSeen >= now - upWindow`, so a sign of life at L turns
 * unknown at L + upWindow + 1, inside (since, now] exactly when since - upWindow <= L < now - upWindow; a request at R
 * turns silent at R + silentAfter (`created_at <= now - silentAfter`), inside it when since - silentAfter < R <= now - silentAfter.
 */
export function livenessChangedBetween(sql: PreparedStatements, since: number, now: number, thresholds: LivenessThresholds): string[] {
  if (now <= since) return [];
  return sql.column<string>(`SELECT lower(hex(pubkey)) FROM nostr_dvms WHERE last_answer_at >= ?1 - ?3 AND last_answer_at < ?2 - ?3
    UNION SELECT lower(hex(h.pubkey)) FROM nostr_heartbeats h JOIN nostr_dvms d ON d.pubkey = h.pubkey WHERE h.last_at >= ?1 - ?3 AND h.last_at < ?2 - ?3
    UNION SELECT lower(hex(t.dvm)) FROM nostr_job_targets t JOIN nostr_dvms d ON d.pubkey = t.dvm WHERE t.created_at > ?1 - ?4 AND t.created_at <= ?2 - ?4
      AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
    LIMIT ?5`, [since, now, thresholds.upWindowSec, thresholds.silentAfterSec, MAX_CHANGED]);
}
