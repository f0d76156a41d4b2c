import type { DvmSummary, JobSummary, KindSummary } from '../../nostr/nostrTypes';
import type { DvmPage, KindPage, RecentKindJobs, UserPage } from '../../nostr/pageTypes';
import type { DvmAnnouncement, DvmChoice } from '../../jobs/jobTypes';
import type { ContextVmServer } from '../../nostr/contextVmTypes';
import type { NostrPageRepo } from '../../nostr/nostrStore';
import type { DvmPageOptions } from '../../nostr/dvmPageParts';
import { mediansAsked, mediansOf } from '../../jobs/dvmChoiceRows';
import { clampLimit } from '../../nostr/dvmListRows';
import type { KindPageOptions } from '../../nostr/kindPageParts';
import { DEFAULT_LIVENESS, type LivenessState, type LivenessThresholds } from '../../nostr/liveness';
import { PgDvmList } from './pgDvmList';
import { pgDvmPage } from './pgDvmPage';
import { pgKindPage, pgKinds } from './pgKinds';
import { pgLivenessChangedBetween, pgLivenessOf } from './pgLiveness';
import { pgResponsePercentilesOfDvms } from './pgPairStats';
import type { PgReader } from './pgReader';
import { pgRecentByKind, pgUserPage } from './pgUserPage';

export interface PgPageRepoOptions {
  readonly db: PgReader;
  /** Pinned DVM pubkeys (pins domain 'dvm'), as the sql.js NostrCore is given them. */
  readonly pinnedDvms: () => ReadonlySet<string>;
  readonly liveness?: LivenessThresholds;
  /**
   * The store may not be written here (Storage.readOnlyReason, asked once at open): response-time rankings are
   * worked out on each read and not kept (pgPairStats.ts). Default false.
   */
  readonly readOnly?: boolean;
}

/** NostrPageRepo over a PostgreSQL store: the DVMs and Kinds trees and the DVM, kind and user pages. */
export class PgPageRepo implements Omit<NostrPageRepo, 'dvmAnnouncement' | 'dvmChoices' | 'contextVmServers'> {
  private readonly db: PgReader;
  private readonly thresholds: LivenessThresholds;
  private readonly list: PgDvmList;
  private readonly keepRankings: boolean;

  constructor(options: PgPageRepoOptions) {
    this.db = options.db;
    this.thresholds = options.liveness ?? DEFAULT_LIVENESS;
    this.keepRankings = options.readOnly !== true;
    this.list = new PgDvmList(options.db, options.pinnedDvms, this.thresholds, this.keepRankings);
  }

  dvms(limit: number | undefined, offset: number | undefined, now: number): Promise<DvmSummary[]> {
    return this.list.list(clampLimit(limit), offset ?? 0, now);
  }

  async dvm(pubkey: string, now: number, limit?: number): Promise<{ summary: DvmSummary; recentJobs: JobSummary[] } | null> {
    const summary = await this.list.summary(pubkey.toLowerCase(), now);
    return summary ? { summary, recentJobs: await this.list.recentJobs(summary.pubkey, clampLimit(limit, 50)) } : null;
  }

  kinds(): Promise<KindSummary[]> {
    return pgKinds(this.db);
  }

  async kind(kind: number, now: number): Promise<{ summary: KindSummary; dvms: DvmSummary[] } | null> {
    const summary = (await pgKinds(this.db)).find((entry) => entry.kind === kind);
    return summary ? { summary, dvms: await this.list.forKind(kind, now) } : null;
  }

  dvmPage(pubkey: string, options: DvmPageOptions): Promise<DvmPage | null> {
    return pgDvmPage(this.db, pubkey, options, this.thresholds);
  }

  kindPage(kind: number, options: KindPageOptions): Promise<KindPage | null> {
    return pgKindPage(this.db, kind, options, this.thresholds, this.keepRankings);
  }

  userPage(pubkey: string, limit?: number): Promise<UserPage | null> {
    return pgUserPage(this.db, pubkey, limit);
  }

  recentByKind(perKind?: number): Promise<RecentKindJobs[]> {
    return pgRecentByKind(this.db, perKind);
  }

  liveness(pubkey: string, now: number): Promise<LivenessState> {
    return pgLivenessOf(this.db, pubkey.toLowerCase(), now, this.thresholds);
  }

  livenessChangedBetween(since: number, now: number): Promise<string[]> {
    return pgLivenessChangedBetween(this.db, since, now, this.thresholds);
  }

  async dvmMedians(pubkeys: readonly string[]): Promise<Record<string, number | null>> {
    return mediansOf(await pgResponsePercentilesOfDvms(this.db, mediansAsked(pubkeys), this.keepRankings));
  }
}

export type { DvmAnnouncement, DvmChoice, ContextVmServer };
