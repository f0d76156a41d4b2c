import type { DvmSummary, JobSummary } from '../../nostr/nostrTypes';
import { clampLimit, dvmRecentJobsOf, dvmSummaryOf, MAX_PAGE, type AnsweredJobRow, type DvmRow, type WaitingJobRow } from '../../nostr/dvmListRows';
import { rowDetailsOf } from '../../nostr/jobRowDetails';
import type { LivenessThresholds } from '../../nostr/liveness';
import { pgAnnouncedKindNames, pgLoadProfiles } from './pgDvmNames';
import { pgLivenessOfMany, pgWaitingOnMany } from './pgLiveness';
import { pgResponsePercentilesOfDvms } from './pgPairStats';
import { pgPeople } from './pgPeople';
import { pgColumn, pgId, pgRows, type PgReader } from './pgReader';

const DVM_COLUMNS = `encode(pubkey, 'hex'), jobs, results, errors, successes, sats_requested, sats_earned, sats_proven`;

/** sqliteDvmQuery.ts on PostgreSQL: DVM summaries (busiest first) and a DVM's recent jobs, mapped by the shared code. */
export class PgDvmList {
  constructor(
    private readonly db: PgReader,
    private readonly pinned: () => ReadonlySet<string>,
    private readonly liveness: LivenessThresholds,
    /** The store may be written here (no Storage.readOnlyReason): response-time rankings it works out are kept (pgPairStats.ts). */
    private readonly keepRankings: boolean,
  ) {}

  async list(limit: number, offset: number, now: number): Promise<DvmSummary[]> {
    const rows = await pgRows(this.db, `SELECT ${DVM_COLUMNS} FROM nostr_dvms ORDER BY jobs DESC, results DESC, pubkey LIMIT $1 OFFSET $2`,
      [clampLimit(limit), Math.max(0, offset)]);
    return this.summarize(rows.map(toDvmRow), now);
  }

  async forKind(kind: number, now: number): Promise<DvmSummary[]> {
    const rows = await pgRows(this.db, `SELECT encode(d.pubkey, 'hex'), d.jobs, d.results, d.errors, d.successes, d.sats_requested, d.sats_earned, d.sats_proven
      FROM nostr_kind_dvms k JOIN nostr_dvms d ON d.pubkey = k.dvm WHERE k.kind = $1 ORDER BY d.jobs DESC, d.pubkey LIMIT $2`, [kind, MAX_PAGE]);
    return this.summarize(rows.map(toDvmRow), now);
  }

  async summary(pubkey: string, now: number): Promise<DvmSummary | undefined> {
    const rows = await pgRows(this.db, `SELECT ${DVM_COLUMNS} FROM nostr_dvms WHERE pubkey = $1`, [pgId(pubkey)]);
    return (await this.summarize(rows.map(toDvmRow), now))[0];
  }

  async recentJobs(pubkey: string, limit: number): Promise<JobSummary[]> {
    const key = pgId(pubkey);
    const [names, answered, waiting] = await Promise.all([
      pgAnnouncedKindNames(this.db),
      pgRows(this.db, `SELECT encode(jd.request_id, 'hex'), jd.kind, jd.first_at, jd.status, jd.response_sec, encode(j.customer, 'hex'), j.created_at, j.encrypted, j.cancelled_at
        FROM nostr_job_dvms jd LEFT JOIN nostr_jobs j ON j.request_id = jd.request_id
        WHERE jd.dvm = $1 ORDER BY jd.first_at DESC, jd.request_id DESC LIMIT $2`, [key, clampLimit(limit)]),
      pgRows(this.db, `SELECT encode(j.request_id, 'hex'), j.kind, encode(j.customer, 'hex'), j.created_at, j.encrypted, j.cancelled_at
        FROM nostr_job_targets t JOIN nostr_jobs j ON j.request_id = t.request_id
        WHERE t.dvm = $1 AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
        ORDER BY t.created_at DESC, t.request_id DESC LIMIT $2`, [key, clampLimit(limit)]),
    ]);
    const jobs = dvmRecentJobsOf(pubkey, answered.map(toAnsweredRow), waiting.map(toWaitingRow), names, limit);
    const [tags, people] = await Promise.all([
      pgRows<[string, string]>(this.db, `SELECT encode(id, 'hex'), tags FROM nostr_events WHERE id = ANY($1::bytea[])`, [jobs.map((job) => pgId(job.requestId))]),
      pgPeople(this.db, jobs.map((job) => job.customer)),
    ]);
    const tagsOf = new Map(tags);
    return rowDetailsOf(jobs, (requestId) => tagsOf.get(requestId), people);
  }

  private async summarize(rows: readonly DvmRow[], now: number): Promise<DvmSummary[]> {
    const pubkeys = rows.map((row) => row.pubkey);
    const [percentiles, served] = await Promise.all([
      pgResponsePercentilesOfDvms(this.db, pubkeys, this.keepRankings),
      pubkeys.length === 0 ? [] : pgRows<[string, number]>(this.db, `SELECT encode(dvm, 'hex'), kind FROM nostr_kind_dvms WHERE dvm = ANY($1::bytea[]) ORDER BY dvm, kind`, [pubkeys.map(pgId)]),
    ]);
    const kindsOf = new Map<string, number[]>();
    for (const [dvm, kind] of served) kindsOf.set(dvm, [...(kindsOf.get(dvm) ?? []), kind]);
    const [profiles, liveness, waiting] = await Promise.all([
      pgLoadProfiles(this.db, pubkeys),
      pgLivenessOfMany(this.db, pubkeys, now, this.liveness),
      pgWaitingOnMany(this.db, pubkeys, now),
    ]);
    const pinned = this.pinned();
    return rows.map((row, i) => dvmSummaryOf(row, {
      profile: profiles.get(row.pubkey)!,
      served: kindsOf.get(row.pubkey) ?? [],
      percentiles: percentiles.get(row.pubkey) ?? [null, null],
      liveness: liveness.get(row.pubkey)!,
      waiting: waiting[i],
      pinned: pinned.has(row.pubkey),
    }));
  }
}

/** Known DVMs and users, newest first, for the relay collector's follow-up subscriptions. */
export async function pgKnownPeople(db: PgReader, limit = 10_000): Promise<{ dvms: string[]; users: string[] }> {
  const [dvms, users] = await Promise.all([
    pgColumn<string>(db, `SELECT encode(pubkey, 'hex') FROM nostr_dvms ORDER BY coalesce(last_answer_at, first_seen) DESC, pubkey LIMIT $1`, [limit]),
    pgColumn<string>(db, `SELECT encode(pubkey, 'hex') FROM nostr_users ORDER BY first_seen DESC, pubkey LIMIT $1`, [limit]),
  ]);
  return { dvms, users };
}

function toDvmRow(row: unknown[]): DvmRow {
  const n = (index: number) => row[index] as number;
  return { pubkey: row[0] as string, jobs: n(1), results: n(2), errors: n(3), successes: n(4), sats_requested: n(5), sats_earned: n(6), sats_proven: n(7) };
}

function toAnsweredRow(row: unknown[]): AnsweredJobRow {
  return {
    request_id: row[0] as string, kind: row[1] as number, first_at: row[2] as number, status: row[3] as string | null, response_sec: row[4] as number | null,
    customer: row[5] as string | null, created_at: row[6] as number | null, encrypted: row[7] as number | null, cancelled_at: row[8] as number | null,
  };
}

function toWaitingRow(row: unknown[]): WaitingJobRow {
  return { request_id: row[0] as string, kind: row[1] as number, customer: row[2] as string, created_at: row[3] as number, encrypted: row[4] as number, cancelled_at: row[5] as number | null };
}
