import type { DvmChoice } from '../../../jobs/jobTypes';
import type { LivenessThresholds } from '../../../nostr/liveness';
import { PairStatsQuery } from '../nostr/sqlitePairStatsQuery';
import type { PreparedStatements } from '../nostr/preparedStatements';
import { choicesLimit, type DvmChoiceRow, dvmChoicesOf, mediansAsked, mediansOf } from '../../../jobs/dvmChoiceRows';

/**
 * The playground's target picker: for each known DVM (busiest first, as the DVMs view lists them) its name, the
 * kinds it serves and its liveness, and nothing else. A full DvmSummary costs about ten queries per DVM (profile,
 * waiting jobs, sats, percentiles, …), and even three per DVM kept 1,000 DVMs from the form for half a second; here
 * every figure is read for all DVMs at once, in five queries (issue 11 bar: the form opens in < 300 ms with 1,000
 * known DVMs). Median response times come apart (dvmMedians): on a store of months they cost seconds. What each
 * figure means is what the DVM summaries say (dvmListRows.ts, liveness.ts); test/unit/postedJobsList.test.ts holds the
 * two equal.
 */
export function dvmChoices(sql: PreparedStatements, limit: number | undefined, now: number, thresholds: LivenessThresholds): DvmChoice[] {
  const rows = sql.all<DvmChoiceRow>(`SELECT lower(hex(d.pubkey)) AS pubkey, d.last_answer_at AS answer, h.last_at AS beat
    FROM nostr_dvms d LEFT JOIN nostr_heartbeats h ON h.pubkey = d.pubkey
    ORDER BY d.jobs DESC, d.results DESC, d.pubkey LIMIT ?`, [choicesLimit(limit)]);
  return dvmChoicesOf(rows, {
    profiles: sql.all<{ pubkey: string; name: string | null; kinds: string }>('SELECT lower(hex(pubkey)) AS pubkey, name, kinds FROM nostr_profiles ORDER BY created_at DESC'),
    metadata: sql.all<{ pubkey: string; name: string }>('SELECT lower(hex(pubkey)) AS pubkey, name FROM nostr_metadata WHERE name IS NOT NULL'),
    served: sql.all<{ pubkey: string; kind: number }>('SELECT lower(hex(dvm)) AS pubkey, kind FROM nostr_kind_dvms'),
    unanswered: oldestUnanswered(sql, now, now - thresholds.silentAfterSec),
  }, now, thresholds);
}

/**
 * Median response time of each DVM over all its kinds (null: none yet): the DVM page's p50 (PairStatsQuery
 * responsePercentilesOfDvm, from the exact per-(DVM, kind, second) counts), for many DVMs in a few reads.
 */
export function dvmMedians(sql: PreparedStatements, pubkeys: readonly string[]): Record<string, number | null> {
  return mediansOf(new PairStatsQuery(sql).responsePercentilesOfDvms(mediansAsked(pubkeys)));
}

/**
 * Per DVM, the oldest request addressed to it after its last sign of life (liveness.ts lastSignOfLife, in SQL),
 * unanswered by it and not cancelled, dated `until` or earlier: livenessFromSigns' `unansweredSince` for every DVM in
 * one read. Only requests since that sign are read, along the (dvm, created_at) index, as livenessOf reads them.
 */
function oldestUnanswered(sql: PreparedStatements, now: number, until: number): Map<string, number> {
  const rows = sql.all<{ pubkey: string; at: number }>(`SELECT lower(hex(d.pubkey)) AS pubkey, min(t.created_at) AS at
    FROM nostr_dvms d LEFT JOIN nostr_heartbeats h ON h.pubkey = d.pubkey
    JOIN nostr_job_targets t ON t.dvm = d.pubkey
      AND t.created_at > max(coalesce(min(d.last_answer_at, ?1), -1), coalesce(min(h.last_at, ?1), -1)) AND t.created_at <= ?2
    JOIN nostr_jobs j ON j.request_id = t.request_id
    WHERE j.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
    GROUP BY d.pubkey`, [now, until]);
  return new Map(rows.map((row) => [row.pubkey, row.at]));
}
