import type { DvmChoice } from '../../protocol/jobProtocol';
import { parseKinds } from '../nostr/dvmNames';
import type { Liveness, LivenessThresholds } from '../nostr/liveness';
import type { PreparedStatements } from '../nostr/preparedStatements';

/** The picker offers at most this many DVMs. */
export const MAX_DVM_CHOICES = 1_000;

type DvmRow = { pubkey: string; answer: number | null; beat: number | null };

/**
 * The playground's target picker: for each known DVM (busiest first, as the DVMs view lists them) its name, the
 * kinds it serves, its liveness and its median response time, and nothing else. A full DvmSummary costs about ten
 * queries per DVM (profile, waiting jobs, sats, p90, …), and even three per DVM kept 1,000 DVMs from the form for
 * half a second; here every figure is read for all DVMs at once, in six queries (issue 11 bar: the form opens in
 * < 300 ms with 1,000 known DVMs). What each figure means is what the DVM summaries say (dvmQuery.ts, liveness.ts,
 * percentiles.ts); test/unit/postedJobsList.test.ts holds the two equal.
 */
export function dvmChoices(sql: PreparedStatements, limit: number | undefined, now: number, thresholds: LivenessThresholds): DvmChoice[] {
  const rows = sql.all<DvmRow>(`SELECT lower(hex(d.pubkey)) AS pubkey, d.last_answer_at AS answer, h.last_at AS beat
    FROM nostr_dvms d LEFT JOIN nostr_heartbeats h ON h.pubkey = d.pubkey
    ORDER BY d.jobs DESC, d.results DESC, d.pubkey LIMIT ?`, [Math.max(1, Math.min(MAX_DVM_CHOICES, Math.floor(Number(limit) || MAX_DVM_CHOICES)))]);
  const wanted = new Set(rows.map((row) => row.pubkey));
  const names = new Map<string, string>();
  const kinds = new Map<string, Set<number>>();
  const kindsOf = (pubkey: string) => kinds.get(pubkey) ?? kinds.set(pubkey, new Set()).get(pubkey)!;
  // The newest handler announcement with a name names the DVM, else its kind 0 (dvmNames.ts loadProfile).
  for (const row of sql.all<{ pubkey: string; name: string | null; kinds: string }>('SELECT lower(hex(pubkey)) AS pubkey, name, kinds FROM nostr_profiles ORDER BY created_at DESC')) {
    if (!wanted.has(row.pubkey)) continue;
    if (row.name !== null && !names.has(row.pubkey)) names.set(row.pubkey, row.name);
    for (const kind of parseKinds(row.kinds)) kindsOf(row.pubkey).add(kind);
  }
  for (const row of sql.all<{ pubkey: string; name: string }>('SELECT lower(hex(pubkey)) AS pubkey, name FROM nostr_metadata WHERE name IS NOT NULL')) {
    if (wanted.has(row.pubkey) && !names.has(row.pubkey)) names.set(row.pubkey, row.name);
  }
  for (const row of sql.all<{ pubkey: string; kind: number }>('SELECT lower(hex(dvm)) AS pubkey, kind FROM nostr_kind_dvms')) {
    if (wanted.has(row.pubkey)) kindsOf(row.pubkey).add(row.kind);
  }
  const medians = medianResponses(sql);
  const unanswered = newestUnanswered(sql, now - thresholds.silentAfterSec);
  return rows.map((row) => {
    const name = names.get(row.pubkey);
    return {
      pubkey: row.pubkey,
      ...(name !== undefined ? { name } : {}),
      kinds: [...(kinds.get(row.pubkey) ?? [])].sort((a, b) => a - b),
      status: liveness(row, unanswered.get(row.pubkey), now, thresholds),
      medianResponseSec: medians.get(row.pubkey) ?? null,
    };
  });
}

/** Nearest-rank median (percentiles.ts: rank ⌈p·n⌉) of each DVM's response times, along the (dvm, response_sec) index. */
function medianResponses(sql: PreparedStatements): Map<string, number> {
  const rows = sql.all<{ pubkey: string; value: number }>(`SELECT lower(hex(dvm)) AS pubkey, response_sec AS value FROM (
      SELECT dvm, response_sec, row_number() OVER (PARTITION BY dvm ORDER BY response_sec) AS rank, count(*) OVER (PARTITION BY dvm) AS n
      FROM nostr_job_dvms WHERE response_sec IS NOT NULL)
    WHERE rank = (n + 1) / 2`);
  return new Map(rows.map((row) => [row.pubkey, row.value]));
}

/** Per DVM, the newest request addressed to it, unanswered by it and not cancelled, dated `until` or earlier. */
function newestUnanswered(sql: PreparedStatements, until: number): Map<string, number> {
  const rows = sql.all<{ pubkey: string; at: number }>(`SELECT lower(hex(t.dvm)) AS pubkey, max(t.created_at) AS at
    FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
    WHERE t.created_at <= ? AND j.cancelled_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
    GROUP BY t.dvm`, [until]);
  return new Map(rows.map((row) => [row.pubkey, row.at]));
}

/**
 * liveness.ts livenessOf, for many DVMs at once: silent when a request it owes an answer is newer than its last sign
 * of life (one dated after the clock counts as now); else up when that sign is recent.
 */
function liveness(row: DvmRow, newestOwed: number | undefined, now: number, thresholds: LivenessThresholds): Liveness {
  const seen = [row.answer, row.beat].filter((value): value is number => typeof value === 'number').map((value) => Math.min(value, now));
  const lastSeen = seen.length > 0 ? Math.max(...seen) : null;
  if (newestOwed !== undefined && newestOwed > (lastSeen ?? -1)) return 'silent';
  if (lastSeen !== null && lastSeen >= now - thresholds.upWindowSec) return 'up';
  return 'unknown';
}
