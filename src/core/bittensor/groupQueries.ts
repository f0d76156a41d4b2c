import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import type { ChainScope } from './chainGenesisScope';
import { boundedCount, identityNames, idsByKey, keysById, oneOf, RAO, rawSnapshots, rollupDays, SECONDS_PER_DAY } from './historySql';
import type { GroupPoint } from './model';
import { rows, type SnapshotInfo, type SnapshotRepo } from './snapshotRepo';
import type { BlockRange, GroupBy, GroupMembers, GroupRow, GroupSeries, GroupSeriesPoint, GroupsTable } from './subnetHistoryModel';

/**
 * Hotkeys grouped by coldkey or by axon IP (the "cabals" view): the groups of one snapshot, the grouping over stored
 * snapshots, the top groups' sizes over time, and one group's members. UIDs without an axon belong to no IP group.
 */

export const GROUPS_PAGE_MAX = 1_024;
export const GROUP_SERIES_MAX = 50;
export const GROUP_POINTS_DEFAULT = 500;
export const GROUP_POINTS_MAX = 2_000;

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
  const groups: GroupRow[] = found.map(([key, hotkeys, validators, stake, emission]) => {
    const name = typeof key === 'number' ? names.get(key) : undefined;
    return {
      key: typeof key === 'number' ? keys!.get(key)! : key,
      ...(name ? { name } : {}),
      hotkeys, validators, stake: stake / RAO, emission: emission / RAO,
    };
  });
  // Ordered here, by the ss58 text: SQL would order coldkeys by their ids.
  groups.sort((a, b) => b.hotkeys - a.hotkeys || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = boundedCount(limit, 50, GROUPS_PAGE_MAX);
  return { netuid: info.netuid, by, block: info.block, total, groups: groups.slice(Math.max(0, offset), Math.max(0, offset) + page) };
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
  // Rows name coldkeys and axons by id; an IP is every axon (port, version) at it. Ids go to SQL, counts come back by id.
  const ids = by === 'coldkey' ? idsByKey(db, keys) : undefined;
  const index = new Map<number, number>();
  if (ids) keys.forEach((key, i) => ids.has(key) && index.set(ids.get(key)!, i));
  else for (const [id, ip] of axonsAt(db, keys)) index.set(id, keys.indexOf(ip));
  const stored = [...index.keys()];
  const empty = () => new Array<number>(keys.length).fill(0);
  const points: GroupSeriesPoint[] = [];
  const days = rollupDays(db, netuid, chain, range, by === 'ip');
  const dayColumn = by === 'coldkey' ? 'coldkey_id' : 'axon_last';
  if (days.length > 0) {
    const counts = countsByBucket(rows(db,
      // Grouped in the index's order (chain, netuid, key, day): no temporary b-tree.
      `SELECT day, ${dayColumn}, COUNT(*) FROM bittensor_uid_days
       WHERE chain = ? AND netuid = ? AND ${dayColumn} IN (SELECT value FROM json_each(?)) AND day IN (SELECT value FROM json_each(?))
       GROUP BY ${dayColumn}, day`,
      [chain.id, netuid, JSON.stringify(stored), JSON.stringify(days.map((d) => d.day))]), index, keys.length);
    for (const { day, block } of days) points.push({ block, time: day * SECONDS_PER_DAY, daily: true, counts: counts.get(day) ?? empty() });
  }
  const raw = rawSnapshots(db, netuid, chain, range, Math.max(1, limit - days.length));
  const idColumn = by === 'coldkey' ? 'coldkey_id' : 'axon_id';
  const snapshotIds = raw.map((s) => s.id);
  // One index range per key over the span of snapshot ids (an IP may have hundreds of axon ids: a list of snapshots
  // would be probed once per axon and snapshot); counts of snapshots not drawn are left unread.
  const counts = raw.length === 0 ? new Map<number, number[]>() : countsByBucket(rows(db,
    `SELECT snapshot_id, ${idColumn}, COUNT(*) FROM bittensor_neurons
     WHERE ${idColumn} IN (SELECT value FROM json_each(?)) AND snapshot_id BETWEEN ? AND ? GROUP BY ${idColumn}, snapshot_id`,
    [JSON.stringify(stored), Math.min(...snapshotIds), Math.max(...snapshotIds)]), index, keys.length);
  for (const s of raw) points.push({ block: s.block, time: s.time, daily: false, counts: counts.get(s.id) ?? empty() });
  const names = ids ? identityNames(db, ids.values()) : new Map<number, string>();
  return {
    netuid,
    by,
    keys: keys.map((key) => {
      const id = ids?.get(key);
      const name = id === undefined ? undefined : names.get(id);
      return name ? { key, name } : { key };
    }),
    points,
  };
}

/** The hotkeys of one group in a snapshot, by UID. */
export function groupMembers(repo: SnapshotRepo, info: SnapshotInfo, by: GroupBy, key: string): GroupMembers {
  checkedGroupBy(by);
  const rows = repo.read(info).neurons.filter((neuron) => (by === 'coldkey' ? neuron.coldkey : neuron.axon?.ip) === key);
  return { netuid: info.netuid, by, key, block: info.block, rows };
}

/** [bucket, key id, count] rows into one count array per bucket, in the order of `index` (ids of one key add up). */
function countsByBucket(found: SqlValue[][], index: Map<number, number>, width: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [bucket, key, count] of found) {
    const at = index.get(key as number);
    if (at === undefined) continue;
    let counts = out.get(bucket as number);
    if (!counts) out.set(bucket as number, (counts = new Array<number>(width).fill(0)));
    counts[at] += count as number;
  }
  return out;
}

/** [axon id, IP] of every stored axon at these IPs. */
function axonsAt(db: SqlDatabase, ips: readonly string[]): [number, string][] {
  return rows(db, 'SELECT id, ip FROM bittensor_axons WHERE ip IN (SELECT value FROM json_each(?))', [JSON.stringify(ips)]) as [number, string][];
}
