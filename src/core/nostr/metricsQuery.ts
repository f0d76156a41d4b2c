import type { DvmRef, KindRef, MetricsWindow, NostrMetrics, NostrMetricsScope } from './nostrTypes';
import { announcedKindNames, displayName, npub } from './dvmNames';
import { idHex } from './hexIds';
import { kindName } from './kindRegistry';
import { nearestRank, slotFloor } from './latencyHistogram';
import { msatsToSats } from './payments';
import type { PreparedStatements } from './preparedStatements';
import { ROLLUP_FIELDS, type LatencyMetric, type RollupValues } from './tally';
import { bucketRanges } from './windowRanges';

export const WINDOW_SECONDS: Readonly<Record<MetricsWindow, number>> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };

export type RollupGroup = { kind: number; dvm: string; values: RollupValues };

/** A kind and its count (requests, users or DVMs), as the top-kind reads give it. */
export type KindCount = { kind: number; n: number };

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

/** The rollup rows of several ranges ([kind, dvm BLOB/bytea, …sums in ROLLUP_FIELDS order]) summed per (kind, DVM). */
export function rollupGroupsFromRows(rows: Iterable<readonly unknown[]>): RollupGroup[] {
  const groups = new Map<string, RollupGroup>();
  for (const row of rows) {
    const kind = row[0] as number;
    const dvm = idHex(row[1] as Uint8Array);
    const key = `${kind}|${dvm}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { kind, dvm, values: emptyValues() }));
    ROLLUP_FIELDS.forEach((field, index) => {
      group.values[field] += (row[index + 2] as number | null) ?? 0;
    });
  }
  return [...groups.values()];
}

/** A window's rollup groups folded: sums, distinct kinds and DVMs, the top DVM by results, per-kind requests and DVMs. */
export interface WindowFold {
  readonly sums: RollupValues;
  readonly requestKinds: number;
  readonly resultKinds: number;
  readonly dvms: number;
  readonly topDvm: [string, number] | undefined;
  readonly requestsByKind: ReadonlyMap<number, number>;
  readonly dvmsByKind: ReadonlyMap<number, number>;
}

export function foldRollupGroups(groups: readonly RollupGroup[]): WindowFold {
  const sums = emptyValues();
  const resultsByDvm = new Map<string, number>();
  const requestsByKind = new Map<number, number>();
  const dvmsByKind = new Map<number, Set<string>>();
  const requestKinds = new Set<number>();
  const resultKinds = new Set<number>();
  const dvms = new Set<string>();
  for (const { kind, dvm, values } of groups) {
    for (const field of ROLLUP_FIELDS) sums[field] += values[field];
    if (values.requests > 0) requestKinds.add(kind);
    if (values.results > 0 && kind >= 0) resultKinds.add(kind);
    if (dvm === '') {
      requestsByKind.set(kind, (requestsByKind.get(kind) ?? 0) + values.requests);
      continue;
    }
    dvms.add(dvm);
    resultsByDvm.set(dvm, (resultsByDvm.get(dvm) ?? 0) + values.results);
    if (kind >= 0) dvmsByKind.set(kind, (dvmsByKind.get(kind) ?? new Set()).add(dvm));
  }
  return {
    sums,
    requestKinds: requestKinds.size,
    resultKinds: resultKinds.size,
    dvms: dvms.size,
    topDvm: top([...resultsByDvm], (a, b) => (a < b ? -1 : 1)),
    requestsByKind,
    dvmsByKind: new Map([...dvmsByKind].map(([kind, set]) => [kind, set.size])),
  };
}

/** What a window reads besides its rollups. */
export interface WindowReads {
  readonly profiles: number;
  readonly users: number;
  readonly kindUsers: ReadonlyMap<number, number>;
  readonly response: readonly (number | null)[];
  readonly feedback: readonly (number | null)[];
  readonly mostPopularDvm: DvmRef | null;
}

export function windowScope(fold: WindowFold, reads: WindowReads, names: ReadonlyMap<number, string>): NostrMetricsScope {
  const { sums } = fold;
  return {
    requests: sums.requests,
    results: sums.results,
    feedback: sums.feedback,
    requestKinds: fold.requestKinds,
    resultKinds: fold.resultKinds,
    dvms: fold.dvms,
    profiles: reads.profiles,
    users: reads.users,
    encryptedRequests: sums.encrypted,
    encryptedShare: sums.requests > 0 ? sums.encrypted / sums.requests : null,
    mostPopularDvm: reads.mostPopularDvm,
    mostPopularKind: kindRef(asKindRow(top([...fold.requestsByKind], (a, b) => a - b)), names),
    mostPopularKindByUsers: kindRef(asKindRow(top([...reads.kindUsers], (a, b) => a - b)), names),
    competitiveKind: kindRef(asKindRow(top([...fold.dvmsByKind], (a, b) => a - b)), names),
    satsRequested: msatsToSats(sums.sats_requested),
    satsEarned: msatsToSats(sums.sats_earned),
    satsProven: msatsToSats(sums.sats_proven),
    successRate: sums.answered > 0 ? sums.successes / sums.answered : null,
    errorRate: sums.answered > 0 ? sums.errors / sums.answered : null,
    medianResponseSec: reads.response[0],
    p90ResponseSec: reads.response[1],
    medianFeedbackSec: reads.feedback[0],
    p90FeedbackSec: reads.feedback[1],
  };
}

/** What the all-time scope reads: counters, distinct counts, the tops and the exact percentiles. */
export interface AllTimeReads {
  readonly counters: ReadonlyMap<string, number>;
  readonly requestKinds: number;
  readonly resultKinds: number;
  readonly dvms: number;
  readonly profiles: number;
  readonly mostPopularDvm: DvmRef | null;
  readonly mostPopularKind: KindCount | undefined;
  readonly mostPopularKindByUsers: KindCount | undefined;
  readonly competitiveKind: KindCount | undefined;
  readonly response: readonly (number | null)[];
  readonly feedback: readonly (number | null)[];
}

export function allTimeScope(reads: AllTimeReads, names: ReadonlyMap<number, string>): NostrMetricsScope {
  const count = (name: string) => reads.counters.get(name) ?? 0;
  const requests = count('requests');
  const answered = count('answered');
  return {
    requests,
    results: count('results'),
    feedback: count('feedback'),
    requestKinds: reads.requestKinds,
    resultKinds: reads.resultKinds,
    dvms: reads.dvms,
    profiles: reads.profiles,
    users: count('users'),
    encryptedRequests: count('encrypted'),
    encryptedShare: requests > 0 ? count('encrypted') / requests : null,
    mostPopularDvm: reads.mostPopularDvm,
    mostPopularKind: kindRef(reads.mostPopularKind, names),
    mostPopularKindByUsers: kindRef(reads.mostPopularKindByUsers, names),
    competitiveKind: kindRef(reads.competitiveKind, names),
    satsRequested: msatsToSats(count('sats_requested')),
    satsEarned: msatsToSats(count('sats_earned')),
    satsProven: msatsToSats(count('sats_proven')),
    successRate: answered > 0 ? count('successes') / answered : null,
    errorRate: answered > 0 ? count('errors') / answered : null,
    medianResponseSec: reads.response[0],
    p90ResponseSec: reads.response[1],
    medianFeedbackSec: reads.feedback[0],
    p90FeedbackSec: reads.feedback[1],
  };
}

function emptyValues(): RollupValues {
  return { requests: 0, encrypted: 0, results: 0, feedback: 0, answered: 0, successes: 0, errors: 0, sats_requested: 0, sats_earned: 0, sats_proven: 0 };
}

/** The entry with the largest positive count; ties go to the smallest key. */
function top<K>(entries: [K, number][], compareKeys: (a: K, b: K) => number): [K, number] | undefined {
  let best: [K, number] | undefined;
  for (const entry of entries) {
    if (entry[1] <= 0) continue;
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && compareKeys(entry[0], best[0]) < 0)) best = entry;
  }
  return best;
}

function asKindRow(entry: [number, number] | undefined): { kind: number; n: number } | undefined {
  return entry ? { kind: entry[0], n: entry[1] } : undefined;
}

function kindRef(row: { kind: number; n: number } | undefined, names: ReadonlyMap<number, string>): KindRef | null {
  return row ? { kind: row.kind, name: kindName(row.kind, names).name, count: row.n } : null;
}
