import type { ChainScope } from '../../bittensor/chainGenesisScope';
import { GROUP_POINTS_DEFAULT, GROUP_POINTS_MAX, GROUP_SERIES_MAX } from '../../bittensor/groupBounds';
import { addBucketCounts, groupsPage, seriesKeys, type GroupAggregate } from '../../bittensor/groupRows';
import { boundedCount, oneOf, SECONDS_PER_DAY } from '../../bittensor/historyBounds';
import type { GroupPoint } from '../../bittensor/model';
import type { BlockRange, GroupBy, GroupSeries, GroupSeriesPoint, GroupsTable } from '../../bittensor/subnetHistoryModel';
import type { SnapshotInfo } from '../../bittensor/bittensorStore';
import { pgIdentityNames, pgIdsByKey, pgKeysById, pgRawSnapshots, pgRollupDays } from './pgHistorySql';
import { pgRows, pgValue, type PgReader } from './pgReader';
import type { PgSnapshotStore } from './pgSnapshotStore';

/**
 * sqliteGroupQueries.ts on PostgreSQL (read its comments for the rules): hotkeys grouped by coldkey or by axon IP, in one
 * snapshot, over the range, and the chosen groups' sizes over time. The pages and series are built by the shared
 * groupRows.ts.
 */

const KEY_SQL_BY: Record<GroupBy, { readonly column: string; readonly join: string }> = {
  coldkey: { column: 'n.coldkey_id', join: '' },
  ip: { column: 'ax.ip', join: 'JOIN bittensor_axons ax ON ax.id = n.axon_id' },
};

function keySql(by: GroupBy): { readonly column: string; readonly join: string } {
  return KEY_SQL_BY[oneOf(by, ['coldkey', 'ip'], 'by')];
}

export async function pgGroupsTable(db: PgReader, info: SnapshotInfo, by: GroupBy, limit?: number, offset = 0): Promise<GroupsTable> {
  const { column, join } = keySql(by);
  const [total, found] = await Promise.all([
    pgValue<number>(db, `SELECT COUNT(DISTINCT ${column}) FROM bittensor_neurons n ${join} WHERE n.snapshot_id = $1`, [info.id]),
    pgRows<[number | string, number, number, number, number]>(db,
      `SELECT ${column}, COUNT(*), SUM((n.flags >> 1) & 1), COALESCE(SUM(n.stake_total), 0), COALESCE(SUM(n.emission), 0)
       FROM bittensor_neurons n ${join} WHERE n.snapshot_id = $1 GROUP BY ${column}`, [info.id]),
  ]);
  const ids = by === 'coldkey' ? found.map(([id]) => id as number) : [];
  const [names, keys] = await Promise.all([pgIdentityNames(db, ids), by === 'coldkey' ? pgKeysById(db, ids) : undefined]);
  return groupsPage(info, by, total!, found as GroupAggregate[], keys, names, limit, offset);
}

async function pgGroupingHistory(db: PgReader, netuid: number, chain: ChainScope, by: GroupBy, range: BlockRange, limit?: number): Promise<GroupPoint[]> {
  const { column, join } = keySql(by);
  const snapshots = await pgRawSnapshots(db, netuid, chain, range, boundedCount(limit, GROUP_POINTS_DEFAULT, GROUP_POINTS_MAX));
  if (snapshots.length === 0) return [];
  const sizes = new Map((await pgRows<[number, number, number, number]>(db,
    `SELECT snapshot_id, COUNT(*), MAX(size), COALESCE(SUM(CASE WHEN size > 1 THEN size END), 0) FROM (
       SELECT n.snapshot_id, COUNT(*) AS size FROM bittensor_neurons n ${join}
       WHERE n.snapshot_id = ANY($1::bigint[]) GROUP BY n.snapshot_id, ${column}) g
     GROUP BY snapshot_id`, [snapshots.map((s) => s.id)])).map(([id, groups, largest, grouped]) => [id, [groups, largest, grouped]]));
  return snapshots.map((s) => {
    const [groups, largest, grouped] = sizes.get(s.id) ?? [0, 0, 0];
    return { block: s.block, groups, largest, grouped };
  });
}

/** subnetHistoryRepo.ts's groups: the table of the range's newest snapshot (or the one at `block`) and the grouping up to it. */
export async function pgGroups(
  db: PgReader, snapshots: PgSnapshotStore, netuid: number, chain: ChainScope, by: GroupBy, blocks: BlockRange, block: number | undefined,
  page: { readonly limit?: number; readonly offset?: number; readonly historyLimit?: number },
): Promise<(GroupsTable & { history: GroupPoint[] }) | null> {
  const toBlock = Math.min(blocks.toBlock ?? Number.MAX_SAFE_INTEGER, block ?? Number.MAX_SAFE_INTEGER);
  const info = await snapshots.find(netuid, toBlock, chain);
  if (!info || (blocks.fromBlock !== undefined && info.block < blocks.fromBlock)) return null;
  const [table, history] = await Promise.all([
    pgGroupsTable(db, info, by, page.limit, page.offset),
    pgGroupingHistory(db, netuid, chain, by, { ...blocks, toBlock: info.block }, page.historyLimit),
  ]);
  return { ...table, history };
}

export async function pgGroupSeries(
  db: PgReader, snapshots: PgSnapshotStore, netuid: number, chain: ChainScope, by: GroupBy,
  choice: { readonly keys?: readonly string[]; readonly top?: number }, range: BlockRange, maxPoints?: number,
): Promise<GroupSeries | null> {
  keySql(by);
  let keys = choice.keys ? [...new Set(choice.keys.filter((key) => typeof key === 'string'))].slice(0, GROUP_SERIES_MAX) : undefined;
  if (!keys) {
    const newest = await snapshots.find(netuid, range.toBlock, chain);
    if (!newest) return null;
    keys = (await pgGroupsTable(db, newest, by, boundedCount(choice.top, 10, GROUP_SERIES_MAX))).groups.map((group) => group.key);
  }
  const limit = boundedCount(maxPoints, GROUP_POINTS_DEFAULT, GROUP_POINTS_MAX);
  const ids = by === 'coldkey' ? await pgIdsByKey(db, keys) : undefined;
  const keyParams: (number | string | null)[] = ids ? keys.map((key) => ids.get(key) ?? null) : keys;
  const width = keys.length;
  const empty = () => new Array<number>(width).fill(0);
  const points: GroupSeriesPoint[] = [];
  const days = await pgRollupDays(db, netuid, chain, range, by === 'ip');
  if (days.length > 0) {
    const counts = await countsPerBucket(db,
      by === 'coldkey'
        ? `SELECT day, COUNT(*) FROM bittensor_uid_days WHERE chain = $2 AND netuid = $3 AND coldkey_id = $1 AND day BETWEEN $4 AND $5 GROUP BY day`
        : `SELECT d.day FROM bittensor_axons ax JOIN bittensor_uid_days d ON d.axon_last = ax.id
           WHERE ax.ip = $1 AND d.chain = $2 AND d.netuid = $3 AND d.day BETWEEN $4 AND $5`,
      keyParams, [chain.id, netuid, days[0].day, days[days.length - 1].day]);
    for (const { day, block } of days) points.push({ block, time: day * SECONDS_PER_DAY, daily: true, counts: counts.get(day) ?? empty() });
  }
  const raw = await pgRawSnapshots(db, netuid, chain, range, Math.max(1, limit - days.length));
  const snapshotIds = raw.map((s) => s.id);
  const counts = raw.length === 0 ? new Map<number, number[]>() : await countsPerBucket(db,
    by === 'coldkey'
      ? 'SELECT snapshot_id, COUNT(*) FROM bittensor_neurons WHERE coldkey_id = $1 AND snapshot_id BETWEEN $2 AND $3 GROUP BY snapshot_id'
      : `SELECT n.snapshot_id FROM bittensor_axons ax JOIN bittensor_neurons n ON n.axon_id = ax.id
         WHERE ax.ip = $1 AND n.snapshot_id BETWEEN $2 AND $3`,
    keyParams, [Math.min(...snapshotIds), Math.max(...snapshotIds)]);
  for (const s of raw) points.push({ block: s.block, time: s.time, daily: false, counts: counts.get(s.id) ?? empty() });
  const names = ids ? await pgIdentityNames(db, ids.values()) : new Map<number, string>();
  return { netuid, by, keys: seriesKeys(keys, ids, names), points };
}

/** Rows per bucket and key: `sql` once per key (bound as $1, `params` as $2 …), each row a bucket or [bucket, rows]. */
async function countsPerBucket(db: PgReader, sql: string, keys: readonly (number | string | null)[], params: readonly unknown[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  const found = await Promise.all(keys.map((key) => pgRows<[number] | [number, number]>(db, sql, [key, ...params])));
  found.forEach((rows, at) => addBucketCounts(out, at, keys.length, rows.map((row) => (row.length === 1 ? row[0] : [row[0], row[1]] as const))));
  return out;
}
