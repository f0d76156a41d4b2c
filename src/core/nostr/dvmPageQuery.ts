import type { DvmKindFigures, DvmLiveness, DvmPage, DvmProfileCard, DvmRecentEvent, DvmTotals } from './pageTypes';
import type { SeriesBucket, SeriesWindow } from './seriesTypes';
import { dvmProblems } from './dvmProblemsQuery';
import { dvmRecentEvents } from './dvmRecentEventsQuery';
import { announcedKindNames, loadProfile, npub, profileDisplayFields, type DvmProfile } from './dvmNames';
import { idBytes } from './hexIds';
import { UNKNOWN_KIND } from './jobAssembler';
import { kindName } from './kindRegistry';
import { livenessOf, type LivenessState, type LivenessThresholds } from './liveness';
import { KIND_HEARTBEAT } from './nostrEvent';
import { emptyPairStats, PairStatsQuery, pairFigures, type PairLatency, type PairStats } from './pairStatsQuery';
import { msatsToSats } from './payments';
import type { PreparedStatements } from './preparedStatements';
import type { RetentionWindows } from './retention';
import { activitySeries } from './seriesQuery';
import { waitingByKind, WAITING_WINDOW_SEC } from './waitingJobsQuery';

export interface DvmPageOptions {
  readonly now: number;
  readonly retention: RetentionWindows;
  /** Jobs over time: 30 days in daily buckets unless asked otherwise. */
  readonly window?: SeriesWindow;
  readonly bucket?: SeriesBucket;
}

/** The name shown for pairs whose request (and so kind) was never seen. */
export const UNKNOWN_KIND_NAME = 'unknown (request not seen)';

/**
 * The DVM page (issue 12): NIP-89 card, liveness, all-time totals, per-kind figures, problems, jobs over time and
 * its newest events. Every part is a handful of index lookups (pairStatsQuery.ts), whatever the DVM's job count.
 */
export class DvmPageQuery {
  private readonly stats: PairStatsQuery;

  constructor(private readonly sql: PreparedStatements, private readonly liveness: LivenessThresholds) {
    this.stats = new PairStatsQuery(sql);
  }

  page(pubkey: string, options: DvmPageOptions): DvmPage | null {
    const totals = this.totals(pubkey);
    if (!totals) return null;
    const { now } = options;
    const names = announcedKindNames(this.sql);
    const stats = this.stats.ofDvm(pubkey);
    const waiting = waitingByKind(this.sql, pubkey, now);
    const recent = dvmRecentEvents(this.sql, pubkey);
    const handlers = this.sql.rows('SELECT relays, created_at FROM nostr_profiles WHERE pubkey = ? ORDER BY created_at DESC', [idBytes(pubkey)]) as [string | null, number][];
    return dvmPageOf({
      pubkey,
      now,
      profile: profileCardOf(loadProfile(this.sql, pubkey), handlers, names),
      liveness: livenessCardOf(livenessOf(this.sql, pubkey, now, this.liveness), now, stats, recent, this.heartbeat(pubkey), [...waiting.values()].reduce((sum, n) => sum + n, 0)),
      totals,
      kinds: dvmKindFigures(pubkey, stats, this.stats.latencyOfDvm(pubkey), waiting, names),
      kindsFrom: (this.sql.row('SELECT min(first_at) FROM nostr_job_dvms WHERE dvm = ?', [idBytes(pubkey)])?.[0] as number | null) ?? null,
      problems: dvmProblems(this.sql, pubkey, stats),
      jobsOverTime: activitySeries(this.sql, { window: options.window ?? '30d', bucket: options.bucket ?? '1d', now, dvm: pubkey, retention: options.retention }),
      recent,
    });
  }

  private totals(pubkey: string): DvmTotals | undefined {
    const row = this.sql.get<DvmTotalsRow>('SELECT jobs, results, successes, errors, sats_requested, sats_earned, sats_proven, first_seen FROM nostr_dvms WHERE pubkey = ?', [idBytes(pubkey)]);
    return row ? dvmTotalsOf(row) : undefined;
  }

  /** Newest heartbeat (kind 11998) and its NIP-40 `expiration`, read from the raw event while it is kept. */
  private heartbeat(pubkey: string): { at: number | null; expiresAt: number | null } {
    const key = idBytes(pubkey);
    const at = (this.sql.row('SELECT last_at FROM nostr_heartbeats WHERE pubkey = ?', [key])?.[0] as number | undefined) ?? null;
    if (at === null) return heartbeatOf(null, undefined);
    return heartbeatOf(at, this.sql.row('SELECT tags FROM nostr_events WHERE created_at = ? AND kind = ? AND pubkey = ? ORDER BY seq DESC LIMIT 1', [at, KIND_HEARTBEAT, key])?.[0]);
  }
}

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
