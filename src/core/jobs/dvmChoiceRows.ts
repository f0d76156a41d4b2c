import type { DvmChoice } from './jobTypes';
import { parseKinds } from '../nostr/dvmNames';
import { livenessFromSigns, type LivenessThresholds } from '../nostr/liveness';

/** The picker offers at most this many DVMs. */
export const MAX_DVM_CHOICES = 1_000;

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
