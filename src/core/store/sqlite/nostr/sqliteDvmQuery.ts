import type { DvmSummary, JobSummary } from '../../../nostr/nostrTypes';
import { announcedKindNames, loadProfile } from './sqliteDvmNames';
import { withRowDetails } from './sqliteJobRowDetails';
import { DEFAULT_LIVENESS, type LivenessThresholds } from '../../../nostr/liveness';
import { livenessOf } from './sqliteLiveness';
import { PairStatsQuery } from './sqlitePairStatsQuery';
import type { PreparedStatements } from './preparedStatements';
import { waitingOn } from './sqliteWaitingJobsQuery';
import {
  type DvmRow, MAX_PAGE, type AnsweredJobRow, type WaitingJobRow, dvmSummaryOf, dvmRecentJobsOf, clampLimit,
} from '../../../nostr/dvmListRows';

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
