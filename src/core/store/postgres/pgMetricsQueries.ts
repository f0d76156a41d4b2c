import type { DvmRef, MetricsWindow, NostrMetrics, NostrMetricsScope } from '../../nostr/nostrTypes';
import { npub } from '../../nostr/dvmNames';
import { idHex } from '../../nostr/hexIds';
import { nearestRank, slotFloor } from '../../nostr/latencyHistogram';
import { allTimeScope, foldRollupGroups, rollupGroupsFromRows, windowScope, WINDOW_SECONDS, type KindCount } from '../../nostr/metricsQuery';
import { ROLLUP_FIELDS, type LatencyMetric } from '../../nostr/tally';
import { bucketRanges, type BucketRange } from '../../nostr/windowRanges';
import { pgAnnouncedKindNames, pgDisplayName } from './pgDvmNames';
import { pgRow, pgRows, pgValue, type PgReader } from './pgReader';

/**
 * metricsQuery.ts on PostgreSQL: the same tables read (counters, rollups, histograms, users), folded by the same
 * functions. The scopes are independent reads, so they go out together on the pool instead of one after the other.
 */
export async function pgMetrics(db: PgReader, now: number): Promise<NostrMetrics> {
  const names = await pgAnnouncedKindNames(db);
  const windows = Object.entries(WINDOW_SECONDS) as [MetricsWindow, number][];
  const [allTime, ...scopes] = await Promise.all([pgAllTime(db, names), ...windows.map(([, seconds]) => pgWindow(db, now - seconds, now, names))]);
  return { ...allTime, generatedAt: now, windows: Object.fromEntries(windows.map(([window], i) => [window, scopes[i]])) as Record<MetricsWindow, NostrMetricsScope> };
}

async function pgAllTime(db: PgReader, names: ReadonlyMap<number, string>): Promise<NostrMetricsScope> {
  const kindRow = async (text: string): Promise<KindCount | undefined> => {
    const row = await pgRow<[number, number]>(db, text);
    return row ? { kind: row[0], n: row[1] } : undefined;
  };
  const [counters, scalars, topDvm, topKind, topKindByUsers, competitive, response, feedback] = await Promise.all([
    pgRows<[string, number]>(db, 'SELECT name, value FROM nostr_counters'),
    pgRow<[number, number, number, number]>(db, `SELECT (SELECT count(*) FROM nostr_kinds WHERE requests > 0), (SELECT count(*) FROM nostr_kinds WHERE results > 0),
      (SELECT count(*) FROM nostr_dvms), (SELECT count(DISTINCT pubkey) FROM nostr_profiles WHERE kinds::text <> '[]')`),
    pgRow<[Buffer, number]>(db, 'SELECT pubkey, results FROM nostr_dvms WHERE results > 0 ORDER BY results DESC, pubkey LIMIT 1'),
    kindRow('SELECT kind, requests FROM nostr_kinds WHERE requests > 0 ORDER BY requests DESC, kind LIMIT 1'),
    kindRow('SELECT kind, users FROM nostr_kinds WHERE users > 0 ORDER BY users DESC, kind LIMIT 1'),
    kindRow('SELECT kind, dvms FROM nostr_kinds WHERE kind >= 0 AND dvms > 0 ORDER BY dvms DESC, kind LIMIT 1'),
    totalPercentiles(db, 'r'),
    totalPercentiles(db, 'f'),
  ]);
  const [requestKinds, resultKinds, dvms, profiles] = scalars ?? [0, 0, 0, 0];
  return allTimeScope({
    counters: new Map(counters), requestKinds, resultKinds, dvms, profiles,
    mostPopularDvm: topDvm ? await dvmRef(db, idHex(topDvm[0]), topDvm[1]) : null,
    mostPopularKind: topKind, mostPopularKindByUsers: topKindByUsers, competitiveKind: competitive, response, feedback,
  }, names);
}

async function pgWindow(db: PgReader, since: number, until: number, names: ReadonlyMap<number, string>): Promise<NostrMetricsScope> {
  const ranges = bucketRanges(since, until);
  const [groups, profiles, users, kindUsers, response, feedback] = await Promise.all([
    rollupGroups(db, ranges),
    pgValue<number>(db, "SELECT count(DISTINCT pubkey) FROM nostr_profiles WHERE kinds::text <> '[]' AND created_at >= $1 AND created_at <= $2", [since, until]),
    windowUsers(db, since, until),
    windowKindUsers(db, since, until),
    windowPercentiles(db, ranges, 'r'),
    windowPercentiles(db, ranges, 'f'),
  ]);
  const fold = foldRollupGroups(groups);
  return windowScope(fold, {
    profiles: profiles ?? 0, users, kindUsers, response, feedback,
    mostPopularDvm: fold.topDvm ? await dvmRef(db, fold.topDvm[0], fold.topDvm[1]) : null,
  }, names);
}

/** The ranges as one OR of (period, bucket span) conditions over the rollups' primary key, $1.. in range order. */
function rangeFilter(ranges: readonly BucketRange[], first = 1): { where: string; values: (string | number)[] } {
  const values: (string | number)[] = [];
  const parts = ranges.map((range) => {
    values.push(range.period, range.from, range.to);
    const n = first + values.length - 3;
    return `(period = $${n} AND bucket >= $${n + 1} AND bucket <= $${n + 2})`;
  });
  return { where: parts.length > 0 ? `(${parts.join(' OR ')})` : 'false', values };
}

async function rollupGroups(db: PgReader, ranges: readonly BucketRange[]) {
  const { where, values } = rangeFilter(ranges);
  const rows = await pgRows(db, `SELECT kind, dvm, ${ROLLUP_FIELDS.map((field) => `sum(${field})`).join(', ')}
    FROM nostr_rollups WHERE ${where} GROUP BY kind, dvm`, values);
  return rollupGroupsFromRows(rows);
}

/** metricsQuery.windowUsers: newest request inside the window, or later with a job inside it. */
async function windowUsers(db: PgReader, since: number, until: number): Promise<number> {
  return (await pgValue<number>(db, `SELECT (SELECT count(*) FROM nostr_users WHERE last_at >= $1 AND last_at <= $2)
    + (SELECT count(*) FROM nostr_users u WHERE u.last_at > $2
      AND EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.customer = u.pubkey AND j.created_at >= $1 AND j.created_at <= $2))`, [since, until])) ?? 0;
}

async function windowKindUsers(db: PgReader, since: number, until: number): Promise<Map<number, number>> {
  const rows = await pgRows<[number, number]>(db, `SELECT kind, sum(n) FROM (
      SELECT kind, count(*) AS n FROM nostr_kind_users WHERE last_at >= $1 AND last_at <= $2 GROUP BY kind
      UNION ALL
      SELECT ku.kind, count(*) FROM nostr_kind_users ku WHERE ku.last_at > $2
        AND EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.customer = ku.pubkey AND j.kind = ku.kind AND j.created_at >= $1 AND j.created_at <= $2)
      GROUP BY ku.kind) parts GROUP BY kind`, [since, until]);
  return new Map(rows);
}

async function windowPercentiles(db: PgReader, ranges: readonly BucketRange[], metric: LatencyMetric): Promise<(number | null)[]> {
  const { where, values } = rangeFilter(ranges, 2);
  const slots = await pgRows<[number, number]>(db, `SELECT slot, sum(count) FROM nostr_latency_rollups WHERE metric = $1 AND ${where}
    GROUP BY slot ORDER BY slot`, [metric, ...values]);
  return nearestRank(slots, [0.5, 0.9], slotFloor);
}

/** Exact nearest-rank median and p90 over nostr_latency_totals, the running count kept in SQL as on sql.js. */
async function totalPercentiles(db: PgReader, metric: LatencyMetric): Promise<(number | null)[]> {
  const total = (await pgValue<number | null>(db, 'SELECT sum(count) FROM nostr_latency_totals WHERE metric = $1', [metric])) ?? 0;
  if (total <= 0) return [null, null];
  return Promise.all([0.5, 0.9].map(async (p) => {
    const rank = Math.max(1, Math.ceil(p * total));
    return (await pgValue<number>(db, `SELECT value FROM (SELECT value, sum(count) OVER (ORDER BY value) AS running FROM nostr_latency_totals
      WHERE metric = $1 AND count > 0) ranked WHERE running >= $2 ORDER BY value LIMIT 1`, [metric, rank])) ?? null;
  }));
}

async function dvmRef(db: PgReader, pubkey: string, results: number): Promise<DvmRef> {
  const name = await pgDisplayName(db, pubkey);
  return { pubkey, npub: npub(pubkey), ...(name ? { name } : {}), results };
}
