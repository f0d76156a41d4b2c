import type { KindDvmFigures, KindPage } from './pageTypes';
import type { SeriesBucket, SeriesWindow } from './seriesTypes';
import { parseKinds } from './dvmNames';
import { kindName } from './kindRegistry';
import type { LivenessState } from './liveness';
import { emptyPairStats, pairFigures, type PairLatency, type PairStats } from './pairStats';
import type { People } from './peopleCache';
import type { RetentionWindows } from './retention';

export const KIND_PAGE_RECENT_JOBS = 20;

export interface KindPageOptions {
  readonly now: number;
  readonly retention: RetentionWindows;
  /** Requests / results / users over time: 30 days in daily buckets unless asked otherwise. */
  readonly window?: SeriesWindow;
  readonly bucket?: SeriesBucket;
}

/** A nostr_kinds row as the kind page reads it. */
export type KindRow = { requests: number; results: number; feedback: number; users: number; dvms: number };

/** Who is listed on a kind page: the DVMs serving it (busiest first), then those that only announce it (by pubkey). */
export interface KindDvmsPlan {
  /** Handlers (newest first; ties by name, so the page does not reorder between reads) that announce the kind. */
  readonly announcers: readonly { pubkey: string; name: string | null }[];
  readonly announced: ReadonlySet<string>;
  readonly serving: readonly PairStats[];
  readonly onlyAnnouncing: readonly string[];
}

/** `handlers`: every nostr_profiles row (pubkey hex, name, kinds JSON) newest first; `serving`: the kind's stats rows. */
export function kindDvmsPlan(kind: number, handlers: readonly { pubkey: string; name: string | null; kinds: string }[], serving: PairStats[]): KindDvmsPlan {
  const announcers = handlers.filter((row) => parseKinds(row.kinds).includes(kind)).map(({ pubkey, name }) => ({ pubkey, name }));
  const announced = new Set(announcers.map((entry) => entry.pubkey));
  const sorted = serving.sort((a, b) => b.jobs - a.jobs || b.results - a.results || (a.dvm < b.dvm ? -1 : 1));
  return { announcers, announced, serving: sorted, onlyAnnouncing: [...announced].filter((pubkey) => !sorted.some((row) => row.dvm === pubkey)).sort() };
}

/** What a kind page reads; kindPageOf lays it out. */
export interface KindPageParts {
  readonly askedKind: number;
  readonly kind: number;
  readonly now: number;
  readonly totals: KindRow | undefined;
  readonly names: ReadonlyMap<number, string>;
  readonly plan: KindDvmsPlan;
  readonly latency: ReadonlyMap<string, PairLatency>;
  /** Of every DVM the plan lists. */
  readonly liveness: ReadonlyMap<string, LivenessState>;
  readonly people: People;
  /** [request kinds with DVMs, of them with more DVMs than this one, the kind with the most]. */
  readonly competitionRow: readonly [number, number | null, number | null];
  readonly dvmsFrom: number | null;
  readonly overTime: KindPage['overTime'];
  readonly recentJobs: KindPage['recentJobs'];
}

export function kindPageOf(parts: KindPageParts): KindPage {
  const { kind, totals, plan, people } = parts;
  const name = kindName(kind, parts.names);
  const dvmFigures = (row: PairStats, latency: PairLatency | undefined, announced: boolean): KindDvmFigures => {
    const dvmName = people.name(row.dvm);
    return {
      pubkey: row.dvm,
      npub: people.npub(row.dvm),
      ...(dvmName !== undefined ? { name: dvmName } : {}),
      ...pairFigures(row, row.jobs > 0 ? latency : undefined),
      status: parts.liveness.get(row.dvm)!.status,
      announced,
    };
  };
  const dvms = totals?.dvms ?? 0;
  const [of, above, leader] = parts.competitionRow;
  return {
    kind,
    askedKind: parts.askedKind,
    name: name.name,
    nameSource: name.source,
    announcedNames: [...new Set(plan.announcers.map((entry) => entry.name).filter((text): text is string => text !== null))],
    generatedAt: parts.now,
    requests: totals?.requests ?? 0,
    results: totals?.results ?? 0,
    feedback: totals?.feedback ?? 0,
    users: totals?.users ?? 0,
    // Rank by distinct DVMs among the request kinds (ties share the better rank); the leader as in the metrics.
    competition: { dvms, rank: dvms > 0 ? (above ?? 0) + 1 : null, of, mostCompetitiveKind: leader },
    dvms: [
      ...plan.serving.map((row) => dvmFigures(row, parts.latency.get(row.dvm), plan.announced.has(row.dvm))),
      ...plan.onlyAnnouncing.map((pubkey) => dvmFigures(emptyPairStats(pubkey, kind), undefined, true)),
    ],
    dvmsFrom: parts.dvmsFrom,
    overTime: parts.overTime,
    recentJobs: parts.recentJobs,
  };
}
