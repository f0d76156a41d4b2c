import type { DvmChoice } from './jobTypes';
import { parseKinds } from '../nostr/dvmNames';
import { livenessFromSigns, type LivenessThresholds } from '../nostr/liveness';
import { PairStatsQuery } from '../nostr/pairStatsQuery';
import type { PreparedStatements } from '../nostr/preparedStatements';

/** The picker offers at most this many DVMs. */
export const MAX_DVM_CHOICES = 1_000;


/**
 * The playground's target picker: for each known DVM (busiest first, as the DVMs view lists them) its name, the
 * kinds it serves and its liveness, and nothing else. A full DvmSummary costs about ten queries per DVM (profile,
 * waiting jobs, sats, percentiles, …), and even three per DVM kept 1,000 DVMs from the form for half a second; here
 * every figure is read for all DVMs at once, in five queries (issue 11 bar: the form opens in < 300 ms with 1,000
 * known DVMs). Median response times come apart (dvmMedians): on a store of months they cost seconds. What each
 * figure means is what the DVM summaries say (dvmQuery.ts, liveness.ts); test/unit/postedJobsList.test.ts holds the
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

/** How many DVMs the picker lists: the asked number within 1..MAX_DVM_CHOICES (all of them when none is asked). */
export function choicesLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(MAX_DVM_CHOICES, Math.floor(Number(limit) || MAX_DVM_CHOICES)));
}

/** A DVM of the picker with its signs of life. */
export type DvmChoiceRow = { pubkey: string; answer: number | null; beat: number | null };

/** What the picker reads besides its DVMs: handler rows (newest first), kind 0 names, kinds served, oldest unanswered request per DVM. */
export interface DvmChoiceReads {
  readonly profiles: readonly { pubkey: string; name: string | null; kinds: string }[];
  readonly metadata: readonly { pubkey: string; name: string }[];
  readonly served: readonly { pubkey: string; kind: number }[];
  readonly unanswered: ReadonlyMap<string, number>;
}

export function dvmChoicesOf(rows: readonly DvmChoiceRow[], reads: DvmChoiceReads, now: number, thresholds: LivenessThresholds): DvmChoice[] {
  const wanted = new Set(rows.map((row) => row.pubkey));
  const names = new Map<string, string>();
  const kinds = new Map<string, Set<number>>();
  const kindsOf = (pubkey: string) => kinds.get(pubkey) ?? kinds.set(pubkey, new Set()).get(pubkey)!;
  // The newest handler announcement with a name names the DVM, else its kind 0 (dvmNames.ts loadProfile).
  for (const row of reads.profiles) {
    if (!wanted.has(row.pubkey)) continue;
    if (row.name !== null && !names.has(row.pubkey)) names.set(row.pubkey, row.name);
    for (const kind of parseKinds(row.kinds)) kindsOf(row.pubkey).add(kind);
  }
  for (const row of reads.metadata) {
    if (wanted.has(row.pubkey) && !names.has(row.pubkey)) names.set(row.pubkey, row.name);
  }
  for (const row of reads.served) {
    if (wanted.has(row.pubkey)) kindsOf(row.pubkey).add(row.kind);
  }
  return rows.map((row) => {
    const name = names.get(row.pubkey);
    return {
      pubkey: row.pubkey,
      ...(name !== undefined ? { name } : {}),
      kinds: [...(kinds.get(row.pubkey) ?? [])].sort((a, b) => a - b),
      status: livenessFromSigns([row.answer, row.beat], reads.unanswered.get(row.pubkey), now, thresholds).status,
    };
  });
}

/**
 * Median response time of each DVM over all its kinds (null: none yet): the DVM page's p50 (PairStatsQuery
 * responsePercentilesOfDvm, from the exact per-(DVM, kind, second) counts), for many DVMs in a few reads.
 */
export function dvmMedians(sql: PreparedStatements, pubkeys: readonly string[]): Record<string, number | null> {
  return mediansOf(new PairStatsQuery(sql).responsePercentilesOfDvms(mediansAsked(pubkeys)));
}

/** The pubkeys dvmMedians answers for: the first MAX_DVM_CHOICES asked, lower-cased, those that are 64 hex only. */
export function mediansAsked(pubkeys: readonly string[]): string[] {
  return pubkeys.slice(0, MAX_DVM_CHOICES).map((each) => String(each).toLowerCase()).filter((pubkey) => /^[0-9a-f]{64}$/.test(pubkey));
}

/** The medians out of responsePercentilesOfDvms' [median, p90] per DVM. */
export function mediansOf(percentiles: ReadonlyMap<string, readonly (number | null)[]>): Record<string, number | null> {
  const medians: Record<string, number | null> = {};
  for (const [pubkey, [p50]] of percentiles) medians[pubkey] = p50;
  return medians;
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
