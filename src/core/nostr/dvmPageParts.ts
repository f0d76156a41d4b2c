import type { DvmKindFigures, DvmLiveness, DvmPage, DvmProfileCard, DvmRecentEvent, DvmTotals } from './pageTypes';
import type { SeriesBucket, SeriesWindow } from './seriesTypes';
import { npub, profileDisplayFields, type DvmProfile } from './dvmNames';
import { UNKNOWN_KIND } from './jobAssembler';
import { kindName } from './kindRegistry';
import { WAITING_WINDOW_SEC, type LivenessState } from './liveness';
import { emptyPairStats, pairFigures, type PairLatency, type PairStats } from './pairStats';
import { msatsToSats } from './payments';
import type { RetentionWindows } from './retention';

export interface DvmPageOptions {
  readonly now: number;
  readonly retention: RetentionWindows;
  /** Jobs over time: 30 days in daily buckets unless asked otherwise. */
  readonly window?: SeriesWindow;
  readonly bucket?: SeriesBucket;
}

/** The name shown for pairs whose request (and so kind) was never seen. */
export const UNKNOWN_KIND_NAME = 'unknown (request not seen)';

/** The parts of a DVM page, read by an adapter; dvmPageOf lays them out. */
export interface DvmPageParts {
  readonly pubkey: string;
  readonly now: number;
  readonly profile: DvmProfileCard;
  readonly liveness: DvmLiveness;
  readonly totals: DvmTotals;
  readonly kinds: DvmKindFigures[];
  readonly kindsFrom: number | null;
  readonly problems: DvmPage['problems'];
  readonly jobsOverTime: DvmPage['jobsOverTime'];
  readonly recent: DvmRecentEvent[];
}

export function dvmPageOf(parts: DvmPageParts): DvmPage {
  const { pubkey, profile } = parts;
  return {
    pubkey,
    npub: npub(pubkey),
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    generatedAt: parts.now,
    profile,
    liveness: parts.liveness,
    totals: parts.totals,
    kinds: parts.kinds,
    kindsFrom: parts.kindsFrom,
    problems: parts.problems,
    jobsOverTime: parts.jobsOverTime,
    recent: parts.recent,
  };
}

/** A nostr_dvms row as the page's totals read it (sats columns in millisats). */
export type DvmTotalsRow = { jobs: number; results: number; successes: number; errors: number; sats_requested: number; sats_earned: number; sats_proven: number; first_seen: number };

export function dvmTotalsOf(row: DvmTotalsRow): DvmTotals {
  return {
    jobs: row.jobs,
    results: row.results,
    successes: row.successes,
    errors: row.errors,
    successRate: row.jobs > 0 ? row.successes / row.jobs : null,
    satsRequested: msatsToSats(row.sats_requested),
    satsEarned: msatsToSats(row.sats_earned),
    satsProven: msatsToSats(row.sats_proven),
    firstSeen: row.first_seen,
  };
}

/** Per-kind figures: every kind with jobs kept or requests waiting, busiest first. */
export function dvmKindFigures(pubkey: string, stats: readonly PairStats[], latency: ReadonlyMap<number, PairLatency>, waiting: ReadonlyMap<number, number>, names: ReadonlyMap<number, string>): DvmKindFigures[] {
  const kinds: DvmKindFigures[] = [];
  for (const kind of new Set([...stats.filter((row) => row.jobs > 0).map((row) => row.kind), ...waiting.keys()])) {
    const row = stats.find((candidate) => candidate.kind === kind) ?? emptyPairStats(pubkey, kind);
    kinds.push({
      kind,
      name: kind === UNKNOWN_KIND ? UNKNOWN_KIND_NAME : kindName(kind, names).name,
      ...pairFigures(row, latency.get(kind)),
      waiting: waiting.get(kind) ?? 0,
      unpaidJobs: row.unpaidJobs,
      paidWithoutResult: row.paidNoResult,
    });
  }
  return kinds.sort((a, b) => b.jobs - a.jobs || b.waiting - a.waiting || a.kind - b.kind);
}

/** DESIGN.md "Profile": newest handler field by field, then kind 0; relays and kinds from every handler it keeps (`handlers`: [relays JSON, created_at], newest first). */
export function profileCardOf(profile: DvmProfile, handlers: readonly (readonly [string | null, number])[], names: ReadonlyMap<number, string>): DvmProfileCard {
  const relays = new Set<string>();
  for (const [json] of handlers) for (const url of parseStrings(json)) relays.add(url);
  return {
    ...profileDisplayFields(profile),
    ...(profile.nip90Params !== undefined ? { nip90Params: parseJson(profile.nip90Params) } : {}),
    announcedKinds: profile.announcedKinds.map((kind) => ({ kind, name: kindName(kind, names).name })),
    relays: [...relays],
    hasProfile: profile.hasProfile,
    updatedAt: handlers[0]?.[1] ?? null,
  };
}

export function livenessCardOf(state: LivenessState, now: number, stats: readonly PairStats[], recent: readonly DvmRecentEvent[],
  heartbeat: { at: number | null; expiresAt: number | null }, waiting: number): DvmLiveness {
  const newest = (values: readonly (number | null | undefined)[]) => {
    const known = values.filter((value): value is number => typeof value === 'number');
    return known.length > 0 ? Math.max(...known) : null;
  };
  // A pair keeps only its first result and feedback; its later ones, while raw, are among the newest events.
  const lastResultAt = newest([...stats.map((row) => row.lastResultAt), recent.find((event) => event.role === 'result')?.createdAt]);
  const lastFeedbackAt = newest([...stats.map((row) => row.lastFeedbackAt), recent.find((event) => event.role === 'feedback')?.createdAt]);
  return {
    status: state.status,
    lastSeen: state.lastSeen,
    ...(state.unansweredSince !== undefined ? { unansweredSince: state.unansweredSince } : {}),
    lastResultAt,
    lastFeedbackAt,
    lastHeartbeatAt: heartbeat.at,
    heartbeatExpiresAt: heartbeat.expiresAt,
    heartbeatExpired: heartbeat.expiresAt !== null && heartbeat.expiresAt <= now,
    waiting,
    waitingWindowSec: WAITING_WINDOW_SEC,
  };
}

/** The heartbeat seen at `at` and its NIP-40 `expiration` from the raw event's tags JSON (gone: no expiry known). */
export function heartbeatOf(at: number | null, tagsJson: unknown): { at: number | null; expiresAt: number | null } {
  if (at === null) return { at, expiresAt: null };
  const expiration = typeof tagsJson === 'string' ? (JSON.parse(tagsJson) as string[][]).find((tag) => tag[0] === 'expiration')?.[1] : undefined;
  const expiresAt = Number(expiration);
  return { at, expiresAt: expiration !== undefined && Number.isSafeInteger(expiresAt) ? expiresAt : null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseStrings(json: string | null): string[] {
  const parsed = json === null ? undefined : parseJson(json);
  return Array.isArray(parsed) ? parsed.filter((value): value is string => typeof value === 'string') : [];
}
