import type { Database as SqlDatabase } from 'sql.js';
import type { IngestResult, NostrEvent } from '../../../nostr/eventTypes';
import type { DvmSummary, JobSummary, KindSummary, NostrMetrics, RecentJob } from '../../../nostr/nostrTypes';
import type { JobTrace, TraceGraph } from '../../../nostr/traceTypes';
import type { SeriesPoint } from '../../../nostr/seriesTypes';
import type { DvmAnnouncement, DvmChoice } from '../../../jobs/jobTypes';
import type { ContextVmServer } from '../../../nostr/contextVmTypes';
import { dvmAnnouncement } from '../jobs/sqliteDvmAnnouncementQuery';
import { dvmChoices, dvmMedians } from '../jobs/sqliteDvmChoicesQuery';
import { PostedJobsRepo } from '../jobs/postedJobsRepo';
import { HistoryBackfillRepo } from './sqliteHistoryBackfillRepo';
import { clampLimit } from '../../../nostr/dvmListRows';
import { DvmQuery } from './sqliteDvmQuery';
import { KindQuery } from './sqliteKindQuery';
import { DEFAULT_LIVENESS, type LivenessState, type LivenessThresholds } from '../../../nostr/liveness';
import { livenessOf } from './sqliteLiveness';
import { livenessChangedBetween } from './sqliteLivenessChangesQuery';
import { MetricsQuery } from './sqliteMetricsQuery';
import { type IngestOutcome } from '../../../nostr/nostrIngest';
import { NostrIngestor, type NostrIngestorOptions } from './sqliteNostrIngest';
import { PageQueries } from './pageQueries';
import { PreparedStatements } from './preparedStatements';
import { recentJobs } from './sqliteRecentJobsQuery';
import { type RepairedCursor } from '../../../nostr/relayCursorRepair';
import { RelayCursorRepo } from './sqliteRelayCursorRepo';
import { type RetentionReport, type RetentionWindows } from '../../../nostr/retention';
import { NostrRetention } from './sqliteRetention';
import { querySeries } from './sqliteSeriesQuery';
import { loadVerifier } from '../../../nostr/signatureVerifier';
import { TraceQuery } from './sqliteTraceQuery';
import type { Logger } from '../../../util/logger';

export interface NostrCoreOptions {
  readonly db: SqlDatabase;
  readonly excludedKinds: () => readonly number[];
  readonly countDropped: (reason: string, count: number) => void;
  /** Pinned DVM pubkeys (pins domain 'dvm'). */
  readonly pinnedDvms: () => ReadonlySet<string>;
  /** Benchmarks only (see NostrIngestorOptions.verify); the product always verifies. */
  readonly verify?: NostrIngestorOptions['verify'];
  /** DESIGN.md "Liveness" windows; the defaults unless a test needs a silence within seconds. */
  readonly liveness?: LivenessThresholds;
  /** Where ingest says why events were rejected (debug level). */
  readonly log?: Logger;
}

/**
 * The Nostr DVM engine core over one sql.js database (schema: nostrMigrations): ingest, queries and retention.
 * No timers, no network, no vscode. The engine reaches it only through the NostrStore seam (sqliteNostrStore.ts);
 * tests and benchmarks drive it directly. Its prepared statements stay inside: SQL is the engine room's business.
 */
export class NostrCore {
  private readonly sql: PreparedStatements;
  /** DVM, kind and user pages, activity series, newest jobs per kind. */
  readonly pages: PageQueries;
  /** "My jobs": the jobs posted through this engine (its table comes with postedJobsMigrations). */
  readonly postedJobs: PostedJobsRepo;
  /** Where each relay's history backfill got (its table comes with historyBackfillMigration). */
  readonly historyBackfill: HistoryBackfillRepo;
  private readonly ingestor: NostrIngestor;
  private readonly metricsQuery: MetricsQuery;
  private readonly dvmQuery: DvmQuery;
  private readonly kindQuery: KindQuery;
  private readonly traceQuery: TraceQuery;
  private readonly retention: NostrRetention;
  private readonly cursors: RelayCursorRepo;
  private readonly livenessThresholds: LivenessThresholds;

  constructor(options: NostrCoreOptions) {
    this.livenessThresholds = options.liveness ?? DEFAULT_LIVENESS;
    this.sql = new PreparedStatements(options.db);
    this.ingestor = new NostrIngestor({ sql: this.sql, excludedKinds: options.excludedKinds, countDropped: options.countDropped, verify: options.verify, log: options.log });
    this.metricsQuery = new MetricsQuery(this.sql);
    this.dvmQuery = new DvmQuery(this.sql, options.pinnedDvms, this.livenessThresholds);
    this.kindQuery = new KindQuery(this.sql);
    this.traceQuery = new TraceQuery(this.sql);
    this.retention = new NostrRetention(this.sql);
    this.cursors = new RelayCursorRepo(this.sql);
    this.pages = new PageQueries(this.sql, this.livenessThresholds);
    this.postedJobs = new PostedJobsRepo(this.sql);
    this.historyBackfill = new HistoryBackfillRepo(this.sql);
  }

  /** Loads the WASM signature verifier; `ingestSync` needs it done. */
  ready(): Promise<void> {
    return loadVerifier();
  }

  /** Validates and stores raw events from `relay` (undefined: a file or the API). */
  async ingest(relay: string | undefined, events: readonly unknown[]): Promise<IngestOutcome> {
    await loadVerifier();
    return this.ingestor.ingestLoaded(relay, events);
  }

  ingestSync(relay: string | undefined, events: readonly unknown[]): IngestOutcome {
    return this.ingestor.ingestLoaded(relay, events);
  }

  metrics(now: number): NostrMetrics {
    return this.metricsQuery.metrics(now);
  }

  dvms(limit: number | undefined, offset: number | undefined, now: number): DvmSummary[] {
    return this.dvmQuery.list(clampLimit(limit), offset ?? 0, now);
  }

  dvm(pubkey: string, now: number, limit?: number): { summary: DvmSummary; recentJobs: JobSummary[] } | null {
    const summary = this.dvmQuery.summary(pubkey.toLowerCase(), now);
    return summary ? { summary, recentJobs: this.dvmQuery.recentJobs(summary.pubkey, clampLimit(limit, 50)) } : null;
  }

  /** Up, silent or unknown (DESIGN.md "Liveness"), with the same windows as the DVM summaries. */
  liveness(pubkey: string, now: number): LivenessState {
    return livenessOf(this.sql, pubkey.toLowerCase(), now, this.livenessThresholds);
  }

  /** DVMs whose liveness may have changed by time alone in (since, now], with the same windows (sqliteLivenessChangesQuery.ts). */
  livenessChangedBetween(since: number, now: number): string[] {
    return livenessChangedBetween(this.sql, since, now, this.livenessThresholds);
  }

  /** What a DVM announces for posting a job to it (params, encryption schemes, relays). */
  dvmAnnouncement(pubkey: string): DvmAnnouncement | null {
    return dvmAnnouncement(this.sql, pubkey);
  }

  /** The playground's target picker: each DVM's name, kinds and liveness, with the same windows as the summaries. */
  dvmChoices(limit: number | undefined, now: number): DvmChoice[] {
    return dvmChoices(this.sql, limit, now, this.livenessThresholds);
  }

  /** Median response time of each DVM named (null: none yet), read apart from the picker's list. */
  dvmMedians(pubkeys: readonly string[]): Record<string, number | null> {
    return dvmMedians(this.sql, pubkeys);
  }

  /** ContextVM / DVMCP servers (name, tools, relays, last seen) and their live traffic, listed apart from DVMs. */
  contextVmServers(now: number): ContextVmServer[] {
    return this.ingestor.contextVm.servers(now);
  }

  kinds(): KindSummary[] {
    return this.kindQuery.list();
  }

  kind(kind: number, now: number): { summary: KindSummary; dvms: DvmSummary[] } | null {
    const summary = this.kindQuery.one(kind);
    return summary ? { summary, dvms: this.dvmQuery.forKind(kind, now) } : null;
  }

  trace(id: string): JobTrace | null {
    return this.traceQuery.trace(id);
  }

  /** The job an event belongs to and its whole chain, as a graph with timeline and per-DVM summaries. */
  traceGraph(id: string): TraceGraph | null {
    return this.traceQuery.traceGraph(id);
  }

  recentJobs(limit?: number): RecentJob[] {
    return recentJobs(this.sql, limit);
  }

  event(id: string): NostrEvent | null {
    return this.traceQuery.event(id);
  }

  series(options: Parameters<typeof querySeries>[1]): SeriesPoint[] {
    return querySeries(this.sql, options);
  }

  maintain(now: number, windows: RetentionWindows): RetentionReport {
    const report = this.retention.maintain(now, windows);
    this.ingestor.refreshSeen();
    this.ingestor.assembler.reloadZaps();
    return report;
  }

  /**
   * What the history backfill stored older than the raw window keeps its jobs, rollups and dedupe id, not its raw
   * row (retention's rule, applied at once); the ingest then finds those ids in nostr_seen.
   */
  trimRaw(rawCutoff: number): number {
    const removed = this.retention.trimRaw(rawCutoff);
    if (removed > 0) this.ingestor.refreshSeen();
    return removed;
  }

  evictOldest(bytes: number, usedBytes: () => number): number {
    const removed = this.retention.evictOldest(bytes, usedBytes);
    this.ingestor.refreshSeen();
    this.ingestor.assembler.reloadZaps();
    return removed;
  }

  /** Per-relay cursor: newest created_at proven complete on that relay (backfill resumes there after a restart). */
  cursor(relay: string): number | undefined {
    return this.cursors.get(relay);
  }

  /** Moves a relay's cursor forward, never past the clock plus CURSOR_CLOCK_SKEW_SECONDS (sqliteRelayCursorRepo.ts). */
  setCursor(relay: string, createdAt: number): void {
    this.cursors.advance(relay, createdAt);
  }

  /** Puts back cursors found ahead of the clock (at engine start); the caller says so in the log. */
  repairFutureCursors(now?: number): RepairedCursor[] {
    return this.cursors.repairFuture(now);
  }

  /** Known DVMs and users, for the relay collector's follow-up subscriptions (capped). */
  knownPeople(limit = 10_000): { dvms: string[]; users: string[] } {
    return {
      dvms: this.sql.column<string>('SELECT lower(hex(pubkey)) FROM nostr_dvms ORDER BY coalesce(last_answer_at, first_seen) DESC LIMIT ?', [limit]),
      users: this.sql.column<string>('SELECT lower(hex(pubkey)) FROM nostr_users ORDER BY first_seen DESC LIMIT ?', [limit]),
    };
  }

  dispose(): void {
    this.sql.dispose();
  }
}

export type { IngestResult };
