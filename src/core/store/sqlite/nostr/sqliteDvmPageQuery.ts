import type { DvmPage, DvmTotals } from '../../../nostr/pageTypes';
import { dvmProblems } from './sqliteDvmProblemsQuery';
import { dvmRecentEvents } from './sqliteDvmRecentEventsQuery';
import { announcedKindNames, loadProfile } from './sqliteDvmNames';
import { idBytes } from '../../../nostr/hexIds';
import type { LivenessThresholds } from '../../../nostr/liveness';
import { livenessOf } from './sqliteLiveness';
import { KIND_HEARTBEAT } from '../../../nostr/nostrEvent';
import { PairStatsQuery } from './sqlitePairStatsQuery';
import type { PreparedStatements } from './preparedStatements';
import { activitySeries } from './sqliteSeriesQuery';
import { waitingByKind } from './sqliteWaitingJobsQuery';
import {
  type DvmPageOptions, dvmPageOf, type DvmTotalsRow, dvmTotalsOf, dvmKindFigures, profileCardOf, livenessCardOf,
  heartbeatOf,
} from '../../../nostr/dvmPageParts';

/**
 * The DVM page (issue 12): NIP-89 card, liveness, all-time totals, per-kind figures, problems, jobs over time and
 * its newest events. Every part is a handful of index lookups (sqlitePairStatsQuery.ts), whatever the DVM's job count.
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
