import { DEFAULT_LIVENESS, lastSignOfLife, livenessFromSigns, type LivenessState, type LivenessThresholds, MAX_CHANGED, WAITING_WINDOW_SEC } from '../../nostr/liveness';
import { pgColumn, pgId, pgRows, type PgReader } from './pgReader';

/**
 * sqliteLiveness.ts and sqliteWaitingJobsQuery.ts on PostgreSQL: the signs of life and the oldest unanswered request are read
 * here, the rules are livenessFromSigns'. Both walk nostr_job_targets by (dvm, created_at).
 */
export async function pgLivenessOf(db: PgReader, pubkey: string, now: number, thresholds: LivenessThresholds = DEFAULT_LIVENESS): Promise<LivenessState> {
  // One DVM is the many-DVM read of one: the oldest-unanswered walk has a single SQL text to keep right.
  return (await pgLivenessOfMany(db, [pubkey], now, thresholds)).get(pubkey)!;
}

/**
 * The liveness of several DVMs (a kind page lists hundreds): their signs of life in one read, then the oldest
 * unanswered request of each since its own last sign in one more, along (dvm, created_at) per DVM.
 */
export async function pgLivenessOfMany(db: PgReader, pubkeys: readonly string[], now: number, thresholds: LivenessThresholds = DEFAULT_LIVENESS): Promise<Map<string, LivenessState>> {
  if (pubkeys.length === 0) return new Map();
  const keys = pubkeys.map(pgId);
  const signs = await pgRows<[number | null, number | null]>(db, `SELECT (SELECT last_answer_at FROM nostr_dvms WHERE pubkey = k), (SELECT last_at FROM nostr_heartbeats WHERE pubkey = k)
    FROM unnest($1::bytea[]) WITH ORDINALITY AS s (k, n) ORDER BY n`, [keys]);
  const since = signs.map((sign) => lastSignOfLife(sign, now) ?? -1);
  const unanswered = await pgRows<[number | null]>(db, `SELECT (SELECT t.created_at FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = s.k AND t.created_at > s.since AND t.created_at <= $3 AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
      ORDER BY t.created_at LIMIT 1)
    FROM unnest($1::bytea[], $2::bigint[]) WITH ORDINALITY AS s (k, since, n) ORDER BY n`, [keys, since, now - thresholds.silentAfterSec]);
  return new Map(pubkeys.map((pubkey, i) => [pubkey, livenessFromSigns(signs[i], unanswered[i][0] ?? undefined, now, thresholds)]));
}

/** How many jobs each DVM is waited on for (sqliteWaitingJobsQuery.ts's rule), in one read, in the order asked. */
export async function pgWaitingOnMany(db: PgReader, pubkeys: readonly string[], now: number): Promise<number[]> {
  if (pubkeys.length === 0) return [];
  const rows = await pgRows<[number]>(db, `SELECT (SELECT count(*) FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = s.k AND t.created_at > $2 AND t.created_at <= $3 AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms p WHERE p.request_id = t.request_id AND p.dvm = t.dvm))
    FROM unnest($1::bytea[]) WITH ORDINALITY AS s (k, n) ORDER BY n`, [pubkeys.map(pgId), now - WAITING_WINDOW_SEC, now]);
  return rows.map((row) => row[0]);
}

const WAITING_JOBS = `FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = $1 AND t.created_at > $2 AND t.created_at <= $3 AND j.cancelled_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms p WHERE p.request_id = t.request_id AND p.dvm = t.dvm)`;


export async function pgWaitingByKind(db: PgReader, pubkey: string, now: number): Promise<Map<number, number>> {
  return new Map(await pgRows<[number, number]>(db, `SELECT j.kind, count(*) ${WAITING_JOBS} GROUP BY j.kind ORDER BY j.kind`, [pgId(pubkey), now - WAITING_WINDOW_SEC, now]));
}

/** sqliteLivenessChangesQuery.ts on PostgreSQL: DVMs whose liveness may have turned by time alone in (since, now]. */
export async function pgLivenessChangedBetween(db: PgReader, since: number, now: number, thresholds: LivenessThresholds): Promise<string[]> {
  if (now <= since) return [];
  return pgColumn<string>(db, `SELECT encode(pubkey, 'hex') FROM nostr_dvms WHERE last_answer_at >= $1::bigint - $3 AND last_answer_at < $2::bigint - $3
    UNION SELECT encode(h.pubkey, 'hex') FROM nostr_heartbeats h JOIN nostr_dvms d ON d.pubkey = h.pubkey WHERE h.last_at >= $1::bigint - $3 AND h.last_at < $2::bigint - $3
    UNION SELECT encode(t.dvm, 'hex') FROM nostr_job_targets t JOIN nostr_dvms d ON d.pubkey = t.dvm WHERE t.created_at > $1::bigint - $4 AND t.created_at <= $2::bigint - $4
      AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
    ORDER BY 1 LIMIT $5`, [since, now, thresholds.upWindowSec, thresholds.silentAfterSec, MAX_CHANGED]);
}
