import type { DvmChoice } from '../../protocol/jobProtocol';
import { parseKinds } from '../nostr/dvmNames';
import { livenessOf, type LivenessThresholds } from '../nostr/liveness';
import { percentiles } from '../nostr/percentiles';
import type { PreparedStatements } from '../nostr/preparedStatements';

/**
 * The playground's target picker: for each known DVM (busiest first, as the DVMs view lists them) its name, the
 * kinds it serves, its liveness and its median response time, and nothing else. A full DvmSummary costs about ten
 * queries per DVM (profile, waiting jobs, sats, p90, …); here names and kinds are read for all DVMs in one query
 * each, so 1,000 DVMs reach the form in time (issue 11 bar: the form opens in < 300 ms).
 */
/** The picker offers at most this many DVMs. */
export const MAX_DVM_CHOICES = 1_000;

export function dvmChoices(sql: PreparedStatements, limit: number | undefined, now: number, liveness: LivenessThresholds): DvmChoice[] {
  const pubkeys = sql.all<{ pubkey: string }>('SELECT lower(hex(pubkey)) AS pubkey FROM nostr_dvms ORDER BY jobs DESC, results DESC, pubkey LIMIT ?', [Math.max(1, Math.min(MAX_DVM_CHOICES, Math.floor(Number(limit) || MAX_DVM_CHOICES)))])
    .map((row) => row.pubkey);
  const wanted = new Set(pubkeys);
  const names = new Map<string, string>();
  const kinds = new Map<string, Set<number>>();
  const kindsOf = (pubkey: string) => kinds.get(pubkey) ?? kinds.set(pubkey, new Set()).get(pubkey)!;
  // The newest handler announcement with a name names the DVM, else its kind 0 (dvmNames.ts displayName).
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
  return pubkeys.map((pubkey) => {
    const name = names.get(pubkey);
    const [median] = percentiles(sql, 'response_sec', 'FROM nostr_job_dvms WHERE dvm = unhex(?) AND response_sec IS NOT NULL', [pubkey], [0.5]);
    return {
      pubkey,
      ...(name !== undefined ? { name } : {}),
      kinds: [...(kinds.get(pubkey) ?? [])].sort((a, b) => a - b),
      status: livenessOf(sql, pubkey, now, liveness).status,
      medianResponseSec: median,
    };
  });
}
