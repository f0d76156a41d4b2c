import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { rows } from '../sqlRows';
import type { SnapshotInfo } from '../../../bittensor/bittensorStore';
import type { ChainScope } from '../../../bittensor/chainGenesisScope';
import { boundedCount, oneOf, SECONDS_PER_DAY } from '../../../bittensor/historyBounds';
import { identityNames, idsByKey, keysById, rawSnapshots, rollupDays } from './sqliteHistoryReads';
import type { GroupPoint } from '../../../bittensor/model';
import type { SnapshotRepo } from './snapshotRepo';
import { addBucketCounts, groupsPage, seriesKeys } from '../../../bittensor/groupRows';
import type {
  BlockRange, GroupBy, GroupSeries, GroupSeriesPoint, GroupsTable,
} from '../../../bittensor/subnetHistoryModel';
import { GROUP_POINTS_DEFAULT, GROUP_POINTS_MAX, GROUP_SERIES_MAX } from '../../../bittensor/groupBounds';

/**
 * Hotkeys grouped by coldkey or by axon IP (the "cabals" view): the groups of one snapshot, the grouping over stored
 * snapshots, the top groups' sizes over time, and one group's members. UIDs without an axon belong to no IP group.
 */

/** The grouping key's SQL per kind: the coldkey's id, or the axon's IP text (axon ids differ per port). */
const KEY_SQL_BY: Record<GroupBy, { readonly column: string; readonly join: string }> = {
  coldkey: { column: 'n.coldkey_id', join: '' },
  ip: { column: 'ax.ip', join: 'JOIN bittensor_axons ax ON ax.id = n.axon_id' },
};

/** `by` as a client sent it, refused unless it names a grouping. */
function checkedGroupBy(by: GroupBy): GroupBy {
  return oneOf(by, ['coldkey', 'ip'], 'by');
}

function keySql(by: GroupBy): { readonly column: string; readonly join: string } {
  return KEY_SQL_BY[checkedGroupBy(by)];
}

export function groupsTable(db: SqlDatabase, info: SnapshotInfo, by: GroupBy, limit?: number, offset = 0): GroupsTable {
  const { column, join } = keySql(by);
  const total = rows(db, `SELECT COUNT(DISTINCT ${column}) FROM bittensor_neurons n ${join} WHERE n.snapshot_id = ?`, [info.id])[0][0] as number;
  const found = rows(db,
    `SELECT ${column}, COUNT(*) AS hotkeys, SUM((n.flags >> 1) & 1), TOTAL(n.stake_total), TOTAL(n.emission)
     FROM bittensor_neurons n ${join} WHERE n.snapshot_id = ? GROUP BY ${column}`,
    [info.id]) as [number | string, number, number, number, number][];
  const names = by === 'coldkey' ? identityNames(db, found.map(([id]) => id as number)) : new Map<number, string>();
  const keys = by === 'coldkey' ? keysById(db, found.map(([id]) => id as number)) : undefined;
  return groupsPage(info, by, total, found, keys, names, limit, offset);
}

/** Per complete snapshot of the range: how many groups, the largest, and the hotkeys in groups of two or more. */
export function groupingHistory(db: SqlDatabase, netuid: number, chain: ChainScope, by: GroupBy, range: BlockRange, limit?: number): GroupPoint[] {
  const { column, join } = keySql(by);
  const snapshots = rawSnapshots(db, netuid, chain, range, boundedCount(limit, GROUP_POINTS_DEFAULT, GROUP_POINTS_MAX));
  if (snapshots.length === 0) return [];
  const sizes = new Map(rows(db,
    `SELECT snapshot_id, COUNT(*), MAX(size), TOTAL(CASE WHEN size > 1 THEN size END) FROM (
       SELECT n.snapshot_id, COUNT(*) AS size FROM bittensor_neurons n ${join}
       WHERE n.snapshot_id IN (SELECT value FROM json_each(?)) GROUP BY n.snapshot_id, ${column})
     GROUP BY snapshot_id`,
    [JSON.stringify(snapshots.map((s) => s.id))]).map(([id, groups, largest, grouped]) => [id as number, [groups, largest, grouped] as number[]]));
  return snapshots.map((s) => {
    const [groups, largest, grouped] = sizes.get(s.id) ?? [0, 0, 0];
    return { block: s.block, groups, largest, grouped };
  });
}

/**
 * The sizes of chosen groups (`keys`, or the `top` largest of the range's newest snapshot) over the range: from raw
 * snapshots, and from the daily rollups before them. A day counts the (UID, hotkey) pairs the group held that day:
 * for a coldkey any pair of its (a UID that changed hands inside the group counted per holder), for an IP the pairs
 * whose axon was at that IP at their last sample of the day (a pair counts in one IP group a day).
 */
export function groupSeries(
  db: SqlDatabase,
  repo: SnapshotRepo,
  netuid: number,
  chain: ChainScope,
  by: GroupBy,
  choice: { readonly keys?: readonly string[]; readonly top?: number },
  range: BlockRange,
  maxPoints?: number,
): GroupSeries | null {
  checkedGroupBy(by);
  let keys = choice.keys ? [...new Set(choice.keys.filter((key) => typeof key === 'string'))].slice(0, GROUP_SERIES_MAX) : undefined;
  if (!keys) {
    const newest = repo.find(netuid, range.toBlock, chain);
    if (!newest) return null;
    keys = groupsTable(db, newest, by, boundedCount(choice.top, 10, GROUP_SERIES_MAX)).groups.map((group) => group.key);
  }
  const limit = boundedCount(maxPoints, GROUP_POINTS_DEFAULT, GROUP_POINTS_MAX);
  // Rows name coldkeys by id, and an IP is every axon (port, version) at it, often hundreds. One statement per key:
  // a coldkey's rows are counted per bucket (snapshot or day) in SQL, in its index's order; an IP's come back as the
  // bucket of each row and are counted here, as grouping them (from many axon ids) took a temporary b-tree, and
  // grouping them per axon id returned ~100k rows: 190 ms of CPU for the top 20, now 60.
  const ids = by === 'coldkey' ? idsByKey(db, keys) : undefined;
  const keyParams: SqlValue[] = ids ? keys.map((key) => ids.get(key) ?? null) : keys;
  const empty = () => new Array<number>(keys.length).fill(0);
  const points: GroupSeriesPoint[] = [];
  const days = rollupDays(db, netuid, chain, range, by === 'ip');
  if (days.length > 0) {
    // Days between the first and last asked for that are not asked for (none, or raw days) are counted and not read.
    const counts = countsPerBucket(db,
      by === 'coldkey'
        ? `SELECT json_group_array(json_array(day, size)) FROM (SELECT day, COUNT(*) AS size FROM bittensor_uid_days
           WHERE chain = ?2 AND netuid = ?3 AND coldkey_id = ?1 AND day BETWEEN ?4 AND ?5 GROUP BY day)`
        : `SELECT json_group_array(d.day) FROM bittensor_axons ax CROSS JOIN bittensor_uid_days d
           WHERE ax.ip = ?1 AND d.chain = ?2 AND d.netuid = ?3 AND d.axon_last = ax.id AND d.day BETWEEN ?4 AND ?5`,
      keyParams, [chain.id, netuid, days[0].day, days[days.length - 1].day]);
    for (const { day, block } of days) points.push({ block, time: day * SECONDS_PER_DAY, daily: true, counts: counts.get(day) ?? empty() });
  }
  const raw = rawSnapshots(db, netuid, chain, range, Math.max(1, limit - days.length));
  const snapshotIds = raw.map((s) => s.id);
  // One index range per key over the span of snapshot ids (a list of snapshots would be probed once per id and
  // snapshot); counts of snapshots in the span but not drawn (thinned out, or another chain's) are left unread.
  const counts = raw.length === 0 ? new Map<number, number[]>() : countsPerBucket(db,
    by === 'coldkey'
      ? `SELECT json_group_array(json_array(snapshot_id, size)) FROM (SELECT snapshot_id, COUNT(*) AS size FROM bittensor_neurons
         WHERE coldkey_id = ?1 AND snapshot_id BETWEEN ?2 AND ?3 GROUP BY snapshot_id)`
      : `SELECT json_group_array(n.snapshot_id) FROM bittensor_axons ax CROSS JOIN bittensor_neurons n
         WHERE ax.ip = ?1 AND n.axon_id = ax.id AND n.snapshot_id BETWEEN ?2 AND ?3`,
    keyParams, [Math.min(...snapshotIds), Math.max(...snapshotIds)]);
  for (const s of raw) points.push({ block: s.block, time: s.time, daily: false, counts: counts.get(s.id) ?? empty() });
  const names = ids ? identityNames(db, ids.values()) : new Map<number, string>();
  return {
    netuid,
    by,
    keys: seriesKeys(keys, ids, names),
    points,
  };
}

/**
 * Rows per bucket and key: `sql` is run once per key (bound as ?1, `params` as ?2 …) and returns one JSON array of
 * buckets (a row each) or of [bucket, rows] pairs. Buckets map to one count per key, in the order of `keys`.
 */
function countsPerBucket(db: SqlDatabase, sql: string, keys: readonly SqlValue[], params: readonly SqlValue[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const statement = db.prepare(sql);
  try {
    keys.forEach((key, at) => {
      statement.bind([key, ...params]);
      statement.step();
      const buckets = JSON.parse(statement.get()[0] as string) as (number | [number, number])[];
      statement.reset();
      addBucketCounts(out, at, keys.length, buckets);
    });
  } finally {
    statement.free();
  }
  return out;
}
