import type { DvmRef, MetricsWindow, NostrMetrics, NostrMetricsScope } from '../../nostr/nostrTypes';
import { nearestRank, slotFloor } from '../../nostr/latencyHistogram';
import { allTimeScope, foldRollupGroups, rollupGroupsFromRows, windowScope, WINDOW_SECONDS, type AllTimeReads, type KindCount, type RollupGroup } from '../../nostr/metricsScopes';
import { ROLLUP_FIELDS, type LatencyMetric } from '../../nostr/tally';
import { bucketRanges, type BucketRange } from '../../nostr/windowRanges';
import { pgAnnouncedKindNames } from './pgDvmNames';
import { pgPeople } from './pgPeople';
import { pgRow, pgRows, type PgReader } from './pgReader';

/**
 * sqliteMetricsQuery.ts on PostgreSQL: the same tables read (counters, rollups, histograms, users), folded by the same
 * functions. Over a socket the cost is round trips, not rows: each read is asked for the four windows at once (one
 * UNION ALL tagged by window), so the whole dashboard is nine statements sent together, whatever the windows.
 */
export async function pgMetrics(db: PgReader, now: number): Promise<NostrMetrics> {
  const windows = Object.entries(WINDOW_SECONDS) as [MetricsWindow, number][];
  const spans: Span[] = windows.map(([, seconds]) => ({ since: now - seconds, until: now, ranges: bucketRanges(now - seconds, now) }));
  const [names, allTime, groups, counts, kindUsers, slots] = await Promise.all([
    pgAnnouncedKindNames(db), allTimeReads(db), windowGroups(db, spans), windowCounts(db, spans), windowKindUsers(db, spans), windowSlots(db, spans),
  ]);
  const folds = groups.map(foldRollupGroups);
  const tops = [allTime.topDvm, ...folds.map((fold) => fold.topDvm)];
  const people = await pgPeople(db, tops.map((top) => top?.[0]));
  const ref = (top: [string, number] | undefined): DvmRef | null => {
    if (!top) return null;
    const name = people.name(top[0]);
    return { pubkey: top[0], npub: people.npub(top[0]), ...(name ? { name } : {}), results: top[1] };
  };
  const scopes = spans.map((_, w) => windowScope(folds[w], {
    profiles: counts[w].profiles, users: counts[w].users, kindUsers: kindUsers[w],
    response: nearestRank(slots[w].r, [0.5, 0.9], slotFloor), feedback: nearestRank(slots[w].f, [0.5, 0.9], slotFloor),
    mostPopularDvm: ref(folds[w].topDvm),
  }, names));
  return {
    ...allTimeScope({ ...allTime.reads, mostPopularDvm: ref(allTime.topDvm) }, names),
    generatedAt: now,
    windows: Object.fromEntries(windows.map(([window], w) => [window, scopes[w]])) as Record<MetricsWindow, NostrMetricsScope>,
  };
}

interface Span {
  readonly since: number;
  readonly until: number;
  readonly ranges: readonly BucketRange[];
}

/** The all-time figures in three statements: counters, one row of distinct counts and tops, the exact histograms. */
async function allTimeReads(db: PgReader): Promise<{ reads: Omit<AllTimeReads, 'mostPopularDvm'>; topDvm: [string, number] | undefined }> {
  const top = (column: string, where: string) => `(SELECT ARRAY[kind, ${column}] FROM nostr_kinds WHERE ${where} ORDER BY ${column} DESC, kind LIMIT 1)`;
  const [counters, row, totals] = await Promise.all([
    pgRows<[string, number]>(db, 'SELECT name, value FROM nostr_counters'),
    pgRow<[number, number, number, number, string | null, number | null, number[] | null, number[] | null, number[] | null]>(db, `SELECT
      (SELECT count(*) FROM nostr_kinds WHERE requests > 0), (SELECT count(*) FROM nostr_kinds WHERE results > 0),
      (SELECT count(*) FROM nostr_dvms), (SELECT count(DISTINCT pubkey) FROM nostr_profiles WHERE kinds <> '[]'),
      t.pubkey, t.results, ${top('requests', 'requests > 0')}::float8[], ${top('users', 'users > 0')}::float8[], ${top('dvms', 'kind >= 0 AND dvms > 0')}::float8[]
      FROM (SELECT 1) one LEFT JOIN (SELECT encode(pubkey, 'hex') AS pubkey, results FROM nostr_dvms WHERE results > 0 ORDER BY results DESC, pubkey LIMIT 1) t ON true`),
    pgRows<[string, number, number]>(db, 'SELECT metric, value, count FROM nostr_latency_totals WHERE count > 0 ORDER BY metric, value'),
  ]);
  const [requestKinds, resultKinds, dvms, profiles, topPubkey, topResults, topKind, topKindByUsers, competitive] = row!;
  const kindCount = (pair: number[] | null): KindCount | undefined => (pair ? { kind: pair[0], n: pair[1] } : undefined);
  const exact = (metric: LatencyMetric) => nearestRank(totals.filter((entry) => entry[0] === metric).map(([, value, count]) => [value, count] as const), [0.5, 0.9]);
  return {
    reads: {
      counters: new Map(counters), requestKinds, resultKinds, dvms, profiles,
      mostPopularKind: kindCount(topKind), mostPopularKindByUsers: kindCount(topKindByUsers), competitiveKind: kindCount(competitive),
      response: exact('r'), feedback: exact('f'),
    },
    topDvm: topPubkey !== null && topResults !== null ? [topPubkey, topResults] : undefined,
  };
}

/** `part(span, w, param)` for each window, joined by UNION ALL; `param` numbers the values as it adds them. */
function perWindow(spans: readonly Span[], part: (span: Span, w: number, param: (value: unknown) => string) => string, values: unknown[] = []): { text: string; values: unknown[] } {
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { text: spans.map((span, w) => part(span, w, param)).join('\nUNION ALL\n'), values };
}

/** The ranges as one OR of (period, bucket span) conditions over a rollup table's primary key. */
function rangeFilter(ranges: readonly BucketRange[], param: (value: unknown) => string): string {
  const parts = ranges.map((range) => `(period = ${param(range.period)} AND bucket >= ${param(range.from)} AND bucket <= ${param(range.to)})`);
  return parts.length > 0 ? `(${parts.join(' OR ')})` : 'false';
}

/** Rollup sums per (kind, DVM) of each window. */
async function windowGroups(db: PgReader, spans: readonly Span[]): Promise<RollupGroup[][]> {
  const sums = ROLLUP_FIELDS.map((field) => `sum(${field})`).join(', ');
  const { text, values } = perWindow(spans, (span, w, param) => `SELECT ${w}, kind, dvm, ${sums} FROM nostr_rollups WHERE ${rangeFilter(span.ranges, param)} GROUP BY kind, dvm`);
  const rows = await pgRows(db, text, values);
  return spans.map((_, w) => rollupGroupsFromRows(rows.filter((row) => row[0] === w).map((row) => row.slice(1))));
}

/**
 * NIP-89 profiles announced in each window, and its users (metricsQuery.windowUsers: newest request inside the window,
 * or later with a job inside it), as one row.
 */
async function windowCounts(db: PgReader, spans: readonly Span[]): Promise<{ profiles: number; users: number }[]> {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const columns = spans.map((span) => {
    const since = param(span.since);
    const until = param(span.until);
    return `(SELECT count(DISTINCT pubkey) FROM nostr_profiles WHERE kinds <> '[]' AND created_at >= ${since} AND created_at <= ${until}),
      (SELECT count(*) FROM nostr_users WHERE last_at >= ${since} AND last_at <= ${until})
        + (SELECT count(*) FROM nostr_users u WHERE u.last_at > ${until}
          AND EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.customer = u.pubkey AND j.created_at >= ${since} AND j.created_at <= ${until}))`;
  });
  const row = (await pgRow<number[]>(db, `SELECT ${columns.join(',\n')}`, values))!;
  return spans.map((_, w) => ({ profiles: row[2 * w], users: row[2 * w + 1] }));
}

/** Distinct request authors per kind in each window, the same way as the users. */
async function windowKindUsers(db: PgReader, spans: readonly Span[]): Promise<Map<number, number>[]> {
  const { text, values } = perWindow(spans, (span, w, param) => {
    const since = param(span.since);
    const until = param(span.until);
    return `SELECT ${w}, kind, count(*) FROM nostr_kind_users WHERE last_at >= ${since} AND last_at <= ${until} GROUP BY kind
      UNION ALL
      SELECT ${w}, ku.kind, count(*) FROM nostr_kind_users ku WHERE ku.last_at > ${until}
        AND EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.customer = ku.pubkey AND j.kind = ku.kind AND j.created_at >= ${since} AND j.created_at <= ${until})
      GROUP BY ku.kind`;
  });
  const rows = await pgRows<[number, number, number]>(db, text, values);
  return spans.map((_, w) => {
    const users = new Map<number, number>();
    for (const [window, kind, n] of rows) if (window === w) users.set(kind, (users.get(kind) ?? 0) + n);
    return users;
  });
}

/** Each window's first-result and first-feedback histograms ([slot, count] in slot order). */
async function windowSlots(db: PgReader, spans: readonly Span[]): Promise<Record<LatencyMetric, [number, number][]>[]> {
  const { text, values } = perWindow(spans, (span, w, param) => `SELECT ${w}, metric, slot, sum(count) FROM nostr_latency_rollups
    WHERE metric IN ('r', 'f') AND ${rangeFilter(span.ranges, param)} GROUP BY metric, slot`);
  const rows = await pgRows<[number, LatencyMetric, number, number]>(db, `${text}\nORDER BY 1, 2, 3`, values);
  return spans.map((_, w) => {
    const slots: Record<LatencyMetric, [number, number][]> = { r: [], f: [] };
    for (const [window, metric, slot, count] of rows) if (window === w) slots[metric].push([slot, count]);
    return slots;
  });
}
