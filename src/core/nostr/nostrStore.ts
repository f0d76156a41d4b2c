import type { NostrEvent } from './eventTypes';
import type { DvmSummary, JobSummary, KindSummary, NostrMetrics, RecentJob } from './nostrTypes';
import type { JobTrace, TraceGraph } from './traceTypes';
import type { ActivitySeries, SeriesPoint } from './seriesTypes';
import type { DvmPage, KindPage, RecentKindJobs, UserPage } from './pageTypes';
import type { DvmAnnouncement, DvmChoice, PostedJobSummary } from '../jobs/jobTypes';
import type { ContextVmServer } from './contextVmTypes';
import type { DvmPageOptions } from './dvmPageParts';
import type { KindPageOptions } from './kindPageParts';
import type { LivenessState } from './liveness';
import type { IngestOutcome } from './nostrIngest';
import type { RepairedCursor } from './relayCursorRepair';
import type { RetentionReport } from './retention';
import type { RetentionWindows } from './rollupPeriods';
import type { ActivityOptions } from './seriesRows';
import type { HistoryBackfillRow, HistoryBackfillStop } from './historyBackfillTypes';

/**
 * The storage seam of the Nostr half (issue 14): what the engine asks of a store, whichever database holds it
 * (the embedded sql.js file of one editor, or a team's PostgreSQL server). Every method is asynchronous because a
 * server answers over a socket; the embedded adapter answers at once. Pubkeys and ids are lower-case hex, times
 * unix seconds, and every figure is the one DESIGN.md defines: both adapters must return the same values for the
 * same events (the parameterised integration suites check it).
 */
export interface NostrStore {
  readonly events: NostrEventRepo;
  readonly metrics: NostrMetricsRepo;
  readonly pages: NostrPageRepo;
  readonly postedJobs: PostedJobStore;
  readonly historyBackfill: HistoryBackfillStore;
  readonly cursors: RelayCursorStore;
  /** Loads what ingest needs before its first batch (the signature verifier). */
  ready(): Promise<void>;
  /** Frees what the store holds (prepared statements, a pool's clients); the database itself stays open. */
  dispose(): Promise<void>;
}

/** Events and the jobs they assemble into: the one way in (ingest), the job views, and what ages out. */
export interface NostrEventRepo {
  /**
   * Validates and stores raw events from `relay` (undefined: a file or the API), as one batch. Batches are applied
   * in the order the calls are made, and a call may come before the last one has resolved: the engine hands over
   * the next batch at once, so a store that waits on a database checks its signatures meanwhile.
   */
  ingest(relay: string | undefined, events: readonly unknown[]): Promise<IngestOutcome>;
  event(id: string): Promise<NostrEvent | null>;
  trace(id: string): Promise<JobTrace | null>;
  /** The job an event belongs to and its whole chain, as a graph with timeline and per-DVM summaries. */
  traceGraph(id: string): Promise<TraceGraph | null>;
  recentJobs(limit?: number): Promise<RecentJob[]>;
  /** Known DVMs and users, for the relay collector's follow-up subscriptions (capped). */
  knownPeople(limit?: number): Promise<{ dvms: string[]; users: string[] }>;
  /** Retention (DESIGN.md "Data kept"): raw window, history window; pinned DVMs are kept. */
  maintain(now: number, windows: RetentionWindows): Promise<RetentionReport>;
  /** What the history backfill stored older than the raw window keeps its jobs and dedupe id, not its raw row. */
  trimRaw(rawCutoff: number): Promise<number>;
  /**
   * The size budget: frees at least `bytes` of the oldest unpinned data (raw events first, then jobs), as the
   * store measures its own size; returns the rows removed (0 when only pinned data is left).
   */
  evictOldest(bytes: number): Promise<number>;
}

/** The dashboard's figures and the activity series. */
export interface NostrMetricsRepo {
  metrics(now: number): Promise<NostrMetrics>;
  series(options: SeriesOptions): Promise<SeriesPoint[]>;
  activity(options: ActivityOptions): Promise<ActivitySeries>;
}

export interface SeriesOptions {
  readonly bucket: 'hour' | 'day';
  readonly since?: number;
  readonly until?: number;
  readonly kind?: number;
  readonly dvm?: string;
}

/** The DVMs and Kinds trees and the DVM, kind and user pages. */
export interface NostrPageRepo {
  dvms(limit: number | undefined, offset: number | undefined, now: number): Promise<DvmSummary[]>;
  dvm(pubkey: string, now: number, limit?: number): Promise<{ summary: DvmSummary; recentJobs: JobSummary[] } | null>;
  kinds(): Promise<KindSummary[]>;
  kind(kind: number, now: number): Promise<{ summary: KindSummary; dvms: DvmSummary[] } | null>;
  dvmPage(pubkey: string, options: DvmPageOptions): Promise<DvmPage | null>;
  kindPage(kind: number, options: KindPageOptions): Promise<KindPage | null>;
  userPage(pubkey: string, limit?: number): Promise<UserPage | null>;
  recentByKind(perKind?: number): Promise<RecentKindJobs[]>;
  /** Up, silent or unknown (DESIGN.md "Liveness"), with the store's liveness windows. */
  liveness(pubkey: string, now: number): Promise<LivenessState>;
  /** DVMs whose liveness may have changed with time alone in (since, now] (no event came to say so); capped. */
  livenessChangedBetween(since: number, now: number): Promise<string[]>;
  /** What a DVM announces for posting a job to it (params, encryption schemes, relays). */
  dvmAnnouncement(pubkey: string): Promise<DvmAnnouncement | null>;
  /** The playground's target picker: each DVM's name, kinds and liveness. */
  dvmChoices(limit: number | undefined, now: number): Promise<DvmChoice[]>;
  /** Median response time of each DVM named (null: none yet). */
  dvmMedians(pubkeys: readonly string[]): Promise<Record<string, number | null>>;
  /** ContextVM / DVMCP servers and their live traffic, listed apart from DVMs. */
  contextVmServers(now: number): Promise<ContextVmServer[]>;
}

/** "My jobs": the requests posted through this engine. */
export interface PostedJobStore {
  record(request: NostrEvent, postedAt: number): Promise<void>;
  request(requestId: string): Promise<NostrEvent | null>;
  list(limit: number | undefined): Promise<PostedJobSummary[]>;
}

/** Where each relay's history backfill got (historyBackfillMigration.ts says what each field means). */
export interface HistoryBackfillStore {
  get(relay: string): Promise<HistoryBackfillRow | undefined>;
  all(): Promise<HistoryBackfillRow[]>;
  /** The relay's run over [since, until]: a new row, or the stored one extended or narrowed (sqliteHistoryBackfillRepo.ts). */
  plan(relay: string, since: number, until: number, kindsPerFilter: number): Promise<HistoryBackfillRow>;
  advance(relay: string, filterIndex: number, until: number, events: number, accepted: number): Promise<void>;
  restartWithKindsPerFilter(relay: string, kindsPerFilter: number): Promise<void>;
  finish(relay: string, at: number): Promise<void>;
  stop(relay: string, reason: HistoryBackfillStop): Promise<void>;
  /** Clears the stop of every relay (only stops for `reason`, when given). */
  clearStop(reason?: HistoryBackfillStop): Promise<void>;
}

/** Per relay: the newest created_at proven complete there (the live subscription's backfill resumes from it). */
export interface RelayCursorStore {
  get(relay: string): Promise<number | undefined>;
  /** Moves forward only, never past the clock plus CURSOR_CLOCK_SKEW_SECONDS (relayCursorRepair.ts). */
  advance(relay: string, createdAt: number): Promise<void>;
  /** Puts back cursors found ahead of the clock (at engine start); the caller says so in the log. */
  repairFuture(now?: number): Promise<RepairedCursor[]>;
}
