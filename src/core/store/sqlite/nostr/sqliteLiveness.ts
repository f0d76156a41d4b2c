import { idBytes } from '../../../nostr/hexIds';
import type { PreparedStatements } from './preparedStatements';
import { DEFAULT_LIVENESS, lastSignOfLife, livenessFromSigns, type LivenessState, type LivenessThresholds } from '../../../nostr/liveness';

/**
 * DESIGN.md "Liveness". Silence wins over a recent answer only for requests newer than that answer: a DVM that
 * answered at 12:00 and ignores a request of 12:05 is silent at 12:15. A cancelled request (NIP-09) is not owed an
 * answer.
 */
export function livenessOf(sql: PreparedStatements, pubkey: string, now: number, thresholds: LivenessThresholds = DEFAULT_LIVENESS): LivenessState {
  const row = sql.get<{ answer: number | null; beat: number | null }>(
    'SELECT (SELECT last_answer_at FROM nostr_dvms WHERE pubkey = ?1) AS answer, (SELECT last_at FROM nostr_heartbeats WHERE pubkey = ?1) AS beat',
    [idBytes(pubkey)]);
  return livenessFrom(sql, pubkey, [row?.answer, row?.beat], now, thresholds);
}

/** Pubkeys whose signs of life are read per statement in livenessOfMany. */
const MANY_CHUNK = 100;

/** livenessOf for several DVMs (a kind page lists them all): their signs of life in one read per MANY_CHUNK. */
export function livenessOfMany(sql: PreparedStatements, pubkeys: readonly string[], now: number, thresholds: LivenessThresholds = DEFAULT_LIVENESS): Map<string, LivenessState> {
  const signs = new Map<string, [number | null, number | null]>();
  for (let start = 0; start < pubkeys.length; start += MANY_CHUNK) {
    const chunk = pubkeys.slice(start, start + MANY_CHUNK);
    const slots = chunk.map(() => '?').join(', ');
    for (const [pubkey, answer] of sql.rows(`SELECT lower(hex(pubkey)), last_answer_at FROM nostr_dvms WHERE pubkey IN (${slots})`, chunk.map(idBytes)) as [string, number | null][]) {
      signs.set(pubkey, [answer, null]);
    }
    for (const [pubkey, beat] of sql.rows(`SELECT lower(hex(pubkey)), last_at FROM nostr_heartbeats WHERE pubkey IN (${slots})`, chunk.map(idBytes)) as [string, number][]) {
      signs.set(pubkey, [signs.get(pubkey)?.[0] ?? null, beat]);
    }
  }
  return new Map(pubkeys.map((pubkey) => [pubkey, livenessFrom(sql, pubkey, signs.get(pubkey) ?? [null, null], now, thresholds)]));
}

function livenessFrom(sql: PreparedStatements, pubkey: string, signs: readonly (number | null | undefined)[], now: number, thresholds: LivenessThresholds): LivenessState {
  const lastSeen = lastSignOfLife(signs, now);
  // Oldest first through the (dvm, created_at) index: the first match is when the silence began.
  const unanswered = sql.get<{ at: number }>(`SELECT t.created_at AS at FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = ? AND t.created_at > ? AND t.created_at <= ? AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
      ORDER BY t.created_at LIMIT 1`, [idBytes(pubkey), lastSeen ?? -1, now - thresholds.silentAfterSec]);
  return livenessFromSigns(signs, unanswered?.at, now, thresholds);
}
