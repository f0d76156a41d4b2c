import type { DvmRef, MetricsWindow, NostrMetrics, NostrMetricsScope } from '../../../nostr/nostrTypes';
import { npub } from '../../../nostr/dvmNames';
import { announcedKindNames, displayName } from './sqliteDvmNames';
import { idHex } from '../../../nostr/hexIds';
import { nearestRank, slotFloor } from '../../../nostr/latencyHistogram';
import type { PreparedStatements } from './preparedStatements';
import { ROLLUP_FIELDS, type LatencyMetric } from '../../../nostr/tally';
import { bucketRanges } from '../../../nostr/windowRanges';
import {
  allTimeScope, foldRollupGroups, rollupGroupsFromRows, windowScope, WINDOW_SECONDS, type RollupGroup,
} from '../../../nostr/metricsScopes';

/**
 * DESIGN.md "Global metrics". Nothing here walks jobs or events:
 * - all-time: counters, per-kind / per-DVM totals and the exact per-second response-time counts, all kept at ingest;
 * - a window's counts, sats, rates, kinds, DVMs and top DVM / kind: the rollups of the hours it covers (the window
 *   starts at the top of the hour `since` falls in), read as whole days where it can (bucketRanges), grouped by
 *   (kind, DVM) in one query per range and folded here;
 * - a window's users (exact to the second): users whose newest request falls inside it, plus the few whose newest
 *   request is later than the window's end, checked one by one against their jobs;
 * - a window's response-time median and p90: the hourly / daily histograms of pairs whose first answer falls in
 *   the window's hours — estimates, exact below 64 s and within 4.4 % above (latencyHistogram.ts).
 */
export class MetricsQuery {
  constructor(private readonly sql: PreparedStatements) {}

  metrics(now: number): NostrMetrics {
    const names = announcedKindNames(this.sql);
    const windows = {} as Record<MetricsWindow, NostrMetricsScope>;
    for (const [window, seconds] of Object.entries(WINDOW_SECONDS) as [MetricsWindow, number][]) windows[window] = this.window(now - seconds, now, names);
    return { ...this.allTime(names), generatedAt: now, windows };
  }

  allTime(names: ReadonlyMap<number, string>): NostrMetricsScope {
    const sql = this.sql;
    const scalar = (query: string) => (sql.row(query)?.[0] as number | null) ?? 0;
    const topDvm = sql.row('SELECT pubkey, results FROM nostr_dvms WHERE results > 0 ORDER BY results DESC, pubkey LIMIT 1');
    const kindRow = (query: string) => {
      const row = sql.row(query);
      return row ? { kind: row[0] as number, n: row[1] as number } : undefined;
    };
    return allTimeScope({
      counters: new Map(sql.rows('SELECT name, value FROM nostr_counters').map((row) => [row[0] as string, row[1] as number])),
      requestKinds: scalar('SELECT count(*) FROM nostr_kinds WHERE requests > 0'),
      resultKinds: scalar('SELECT count(*) FROM nostr_kinds WHERE results > 0'),
      dvms: scalar('SELECT count(*) FROM nostr_dvms'),
      profiles: scalar("SELECT count(DISTINCT pubkey) FROM nostr_profiles WHERE kinds <> '[]'"),
      mostPopularDvm: topDvm ? this.dvmRef(idHex(topDvm[0]), topDvm[1] as number) : null,
      mostPopularKind: kindRow('SELECT kind, requests FROM nostr_kinds WHERE requests > 0 ORDER BY requests DESC, kind LIMIT 1'),
      mostPopularKindByUsers: kindRow('SELECT kind, users FROM nostr_kinds WHERE users > 0 ORDER BY users DESC, kind LIMIT 1'),
      competitiveKind: kindRow('SELECT kind, dvms FROM nostr_kinds WHERE kind >= 0 AND dvms > 0 ORDER BY dvms DESC, kind LIMIT 1'),
      response: this.totalPercentiles('r'),
      feedback: this.totalPercentiles('f'),
    }, names);
  }

  window(since: number, until: number, names: ReadonlyMap<number, string>): NostrMetricsScope {
    const ranges = bucketRanges(since, until);
    const fold = foldRollupGroups(this.rollupGroups(ranges));
    return windowScope(fold, {
      profiles: (this.sql.row("SELECT count(DISTINCT pubkey) FROM nostr_profiles WHERE kinds <> '[]' AND created_at >= ? AND created_at <= ?", [since, until])?.[0] as number) ?? 0,
      users: this.windowUsers(since, until),
      kindUsers: this.windowKindUsers(since, until),
      response: this.windowPercentiles(ranges, 'r'),
      feedback: this.windowPercentiles(ranges, 'f'),
      mostPopularDvm: fold.topDvm ? this.dvmRef(fold.topDvm[0], fold.topDvm[1]) : null,
    }, names);
  }

  /** Rollup sums per (kind, DVM) over the ranges. */
  private rollupGroups(ranges: ReturnType<typeof bucketRanges>): RollupGroup[] {
    return rollupGroupsFromRows(ranges.flatMap((range) => this.sql.rows(`SELECT kind, dvm, ${ROLLUP_FIELDS.map((field) => `sum(${field})`).join(', ')}
        FROM nostr_rollups WHERE period = ? AND bucket >= ? AND bucket <= ? GROUP BY kind, dvm`, [range.period, range.from, range.to])));
  }

  /**
   * Distinct request authors with a request in [since, until]. A user whose newest request is inside had one;
   * one whose newest is before `since` had none; only those whose newest is after `until` (future-dated events,
   * or a window ending in the past) need their jobs looked at.
   */
  private windowUsers(since: number, until: number): number {
    const inside = (this.sql.row('SELECT count(*) FROM nostr_users WHERE last_at >= ? AND last_at <= ?', [since, until])?.[0] as number) ?? 0;
    const later = (this.sql.row(`SELECT count(*) FROM nostr_users u WHERE u.last_at > ?2
      AND EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.customer = u.pubkey AND j.created_at >= ?1 AND j.created_at <= ?2)`, [since, until])?.[0] as number) ?? 0;
    return inside + later;
  }

  /** Distinct request authors per kind in [since, until], the same way as windowUsers. */
  private windowKindUsers(since: number, until: number): Map<number, number> {
    const users = new Map<number, number>();
    const add = (rows: unknown[][]) => {
      for (const [kind, n] of rows as [number, number][]) users.set(kind, (users.get(kind) ?? 0) + n);
    };
    add(this.sql.rows('SELECT kind, count(*) FROM nostr_kind_users WHERE last_at >= ? AND last_at <= ? GROUP BY kind', [since, until]));
    add(this.sql.rows(`SELECT ku.kind, count(*) FROM nostr_kind_users ku WHERE ku.last_at > ?2
      AND EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.customer = ku.pubkey AND j.kind = ku.kind AND j.created_at >= ?1 AND j.created_at <= ?2)
      GROUP BY ku.kind`, [since, until]));
    return users;
  }

  private windowPercentiles(ranges: ReturnType<typeof bucketRanges>, metric: LatencyMetric): (number | null)[] {
    const slots = new Map<number, number>();
    for (const range of ranges) {
      for (const [slot, count] of this.sql.rows('SELECT slot, sum(count) FROM nostr_latency_rollups WHERE period = ? AND bucket >= ? AND bucket <= ? AND metric = ? GROUP BY slot',
        [range.period, range.from, range.to, metric]) as [number, number][]) {
        slots.set(slot, (slots.get(slot) ?? 0) + count);
      }
    }
    return nearestRank([...slots].sort((a, b) => a[0] - b[0]), [0.5, 0.9], slotFloor);
  }

  /** Exact nearest-rank median and p90 over every response time ever seen (nostr_latency_totals). */
  private totalPercentiles(metric: LatencyMetric): (number | null)[] {
    const total = (this.sql.row('SELECT sum(count) FROM nostr_latency_totals WHERE metric = ?', [metric])?.[0] as number | null) ?? 0;
    if (total <= 0) return [null, null];
    return [0.5, 0.9].map((p) => {
      const rank = Math.max(1, Math.ceil(p * total));
      // The running count in SQL: only the answer crosses into JavaScript, however many distinct seconds there are.
      return (this.sql.row(`SELECT value FROM (SELECT value, sum(count) OVER (ORDER BY value) AS running FROM nostr_latency_totals WHERE metric = ? AND count > 0)
        WHERE running >= ? ORDER BY value LIMIT 1`, [metric, rank])?.[0] as number | undefined) ?? null;
    });
  }

  private dvmRef(pubkey: string, results: number): DvmRef {
    const name = displayName(this.sql, pubkey);
    return { pubkey, npub: npub(pubkey), ...(name ? { name } : {}), results };
  }
}
