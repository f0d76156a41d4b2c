import type { DvmSummary, JobStatusText, JobSummary } from './nostrTypes';
import { announcedKindNames, loadProfile, npub, profileDisplayFields, type DvmProfile } from './dvmNames';
import { withRowDetails } from './jobRowDetails';
import { kindName } from './kindRegistry';
import { DEFAULT_LIVENESS, livenessOf, type LivenessState, type LivenessThresholds } from './liveness';
import { msatsToSats } from './payments';
import { PairStatsQuery } from './pairStatsQuery';
import type { PreparedStatements } from './preparedStatements';
import { waitingOn } from './waitingJobsQuery';

/** A nostr_dvms row as the summaries read it (sats in millisats). */
export type DvmRow = {
  pubkey: string; jobs: number; results: number; errors: number; successes: number;
  sats_requested: number; sats_earned: number; sats_proven: number;
};

export const MAX_PAGE = 500;

/** DVM summaries (DESIGN.md "DVM", "Profile", "Liveness") and a DVM's recent jobs. Every list is paged. */
export class DvmQuery {
  private readonly stats: PairStatsQuery;

  constructor(
    private readonly sql: PreparedStatements,
    private readonly pinned: () => ReadonlySet<string>,
    private readonly liveness: LivenessThresholds = DEFAULT_LIVENESS,
  ) {
    this.stats = new PairStatsQuery(sql);
  }

  /** Busiest first (jobs answered, then results). */
  list(limit: number, offset: number, now: number): DvmSummary[] {
    const rows = this.sql.all<DvmRow>(`SELECT lower(hex(pubkey)) AS pubkey, jobs, results, errors, successes, sats_requested, sats_earned, sats_proven FROM nostr_dvms
      ORDER BY jobs DESC, results DESC, pubkey LIMIT ? OFFSET ?`, [clampLimit(limit), Math.max(0, offset)]);
    return rows.map((row) => this.summarize(row, now));
  }

  /** DVMs that answered jobs of `kind`, busiest first. */
  forKind(kind: number, now: number): DvmSummary[] {
    const rows = this.sql.all<DvmRow>(`SELECT lower(hex(d.pubkey)) AS pubkey, d.jobs, d.results, d.errors, d.successes, d.sats_requested, d.sats_earned, d.sats_proven
      FROM nostr_kind_dvms k JOIN nostr_dvms d ON d.pubkey = k.dvm WHERE k.kind = ? ORDER BY d.jobs DESC, d.pubkey LIMIT ?`, [kind, MAX_PAGE]);
    return rows.map((row) => this.summarize(row, now));
  }

  summary(pubkey: string, now: number): DvmSummary | undefined {
    const row = this.sql.get<DvmRow>('SELECT lower(hex(pubkey)) AS pubkey, jobs, results, errors, successes, sats_requested, sats_earned, sats_proven FROM nostr_dvms WHERE pubkey = unhex(?)', [pubkey]);
    return row ? this.summarize(row, now) : undefined;
  }

  /** Newest first: jobs it answered, and jobs addressed to it that it has not answered ('waiting'). */
  recentJobs(pubkey: string, limit: number): JobSummary[] {
    const names = announcedKindNames(this.sql);
    const answered = this.sql.all<AnsweredJobRow>(`SELECT lower(hex(jd.request_id)) AS request_id, jd.kind, jd.first_at, jd.status, jd.response_sec, lower(hex(j.customer)) AS customer, j.created_at, j.encrypted, j.cancelled_at
      FROM nostr_job_dvms jd LEFT JOIN nostr_jobs j ON j.request_id = jd.request_id
      WHERE jd.dvm = unhex(?) ORDER BY jd.first_at DESC LIMIT ?`, [pubkey, clampLimit(limit)]);
    const waiting = this.sql.all<WaitingJobRow>(
      `SELECT lower(hex(j.request_id)) AS request_id, j.kind, lower(hex(j.customer)) AS customer, j.created_at, j.encrypted, j.cancelled_at FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE t.dvm = unhex(?) AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
      ORDER BY t.created_at DESC LIMIT ?`, [pubkey, clampLimit(limit)]);
    return withRowDetails(this.sql, dvmRecentJobsOf(pubkey, answered, waiting, names, limit));
  }

  private summarize(row: DvmRow, now: number): DvmSummary {
    const profile = loadProfile(this.sql, row.pubkey);
    // From the per-(DVM, kind) response-time counts: walking a busy DVM's 50,000 pairs took most of the dashboard's read.
    return dvmSummaryOf(row, {
      profile,
      served: this.sql.column<number>('SELECT kind FROM nostr_kind_dvms WHERE dvm = unhex(?)', [row.pubkey]),
      percentiles: this.stats.responsePercentilesOfDvm(row.pubkey),
      liveness: livenessOf(this.sql, row.pubkey, now, this.liveness),
      waiting: waitingOn(this.sql, row.pubkey, now),
      pinned: this.pinned().has(row.pubkey),
    });
  }
}

/** A job the DVM answered, with its request when seen. */
export type AnsweredJobRow = {
  request_id: string; kind: number; first_at: number; status: string | null; response_sec: number | null;
  customer: string | null; created_at: number | null; encrypted: number | null; cancelled_at: number | null;
};

/** A request addressed to the DVM that it has not answered. */
export type WaitingJobRow = { request_id: string; kind: number; customer: string; created_at: number; encrypted: number; cancelled_at: number | null };

/** What a summary reads besides the DVM's row. */
export interface DvmSummaryReads {
  readonly profile: DvmProfile;
  /** Kinds it answered (nostr_kind_dvms). */
  readonly served: readonly number[];
  /** Median and p90 first-result time over all its kinds. */
  readonly percentiles: readonly (number | null)[];
  readonly liveness: LivenessState;
  readonly waiting: number;
  readonly pinned: boolean;
}

export function dvmSummaryOf(row: DvmRow, reads: DvmSummaryReads): DvmSummary {
  const { profile, liveness } = reads;
  const kinds = [...new Set([...reads.served, ...profile.announcedKinds])].sort((a, b) => a - b);
  const [median, p90] = reads.percentiles;
  const answeredOutcomes = row.jobs;
  return {
    pubkey: row.pubkey,
    npub: npub(row.pubkey),
    ...profileDisplayFields(profile),
    kinds,
    jobs: row.jobs,
    waiting: reads.waiting,
    results: row.results,
    errors: row.errors,
    successRate: answeredOutcomes > 0 ? row.successes / answeredOutcomes : null,
    medianResponseSec: median,
    p90ResponseSec: p90,
    satsRequested: msatsToSats(row.sats_requested),
    satsEarned: msatsToSats(row.sats_earned),
    satsProven: msatsToSats(row.sats_proven),
    lastSeen: liveness.lastSeen,
    status: liveness.status,
    hasProfile: profile.hasProfile,
    pinned: reads.pinned,
  };
}

/** Newest first: jobs it answered, and jobs addressed to it that it has not answered ('waiting'), at most `limit`. */
export function dvmRecentJobsOf(pubkey: string, answered: readonly AnsweredJobRow[], waiting: readonly WaitingJobRow[], names: ReadonlyMap<number, string>, limit: number): JobSummary[] {
  const jobs: JobSummary[] = [
    ...answered.map((row) => ({
      requestId: row.request_id,
      kind: row.kind,
      kindName: kindName(row.kind, names).name,
      customer: row.customer ?? '',
      createdAt: row.created_at ?? row.first_at,
      status: (row.cancelled_at !== null ? 'cancelled' : row.status ?? 'waiting') as JobStatusText,
      dvm: pubkey,
      responseSec: row.response_sec,
      encrypted: row.encrypted === 1,
    })),
    ...waiting.map((row) => ({
      requestId: row.request_id,
      kind: row.kind,
      kindName: kindName(row.kind, names).name,
      customer: row.customer,
      createdAt: row.created_at,
      status: (row.cancelled_at !== null ? 'cancelled' : 'waiting') as JobStatusText,
      dvm: pubkey,
      responseSec: null,
      encrypted: row.encrypted === 1,
    })),
  ];
  return jobs.sort((a, b) => b.createdAt - a.createdAt).slice(0, clampLimit(limit));
}

export function clampLimit(limit: number | undefined, fallback = 100): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));
}
