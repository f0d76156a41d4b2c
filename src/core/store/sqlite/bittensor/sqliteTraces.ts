import type { Database as SqlDatabase } from 'sql.js';
import type { ChainScope } from '../../../bittensor/chainGenesisScope';
import { boundedCount, oneOf } from '../../../bittensor/historyBounds';
import { firstRaw, idsByKey, jsonResult, keysById, rawSnapshots, rollupDays } from './sqliteHistoryReads';
import type { SnapshotRepo } from './snapshotRepo';
import {
  TRACE_FIELDS, type BlockRange, type TraceField, type Traces, type TraceSelection,
} from '../../../bittensor/subnetHistoryModel';
import {
  addDailyPoints, addRawPoints, finishSeries, isUidSelection, seriesKeyIds, startSeries,
} from '../../../bittensor/traceRows';
import { TRACE_POINTS_DEFAULT, TRACE_POINTS_MAX, TRACE_SERIES_MAX } from '../../../bittensor/traceBounds';
import { TRACE_FIELD_SQL } from '../../sharedSql/bittensorSql';

/**
 * A day's figure from the rollup: a mean of the day's sums, and for stake, a level, the day's last value. SQLite
 * reads that as the bare column of the row with MAX(last_block); PostgreSQL refuses a bare column, so its adapter
 * (pgTraceQuery.ts) keeps its own map.
 */
const DAILY: Record<TraceField, string> = {
  stake: 'stake_last * 1.0',
  incentive: 'SUM(incentive_sum) * 1.0 / SUM(samples)',
  dividends: 'SUM(dividends_sum) * 1.0 / SUM(samples)',
  emission: 'SUM(emission_sum) * 1.0 / SUM(samples)',
  trust: 'SUM(trust_sum) * 1.0 / SUM(samples)',
  consensus: 'SUM(consensus_sum) * 1.0 / SUM(samples)',
};

/**
 * Traces of one field for chosen hotkeys, UIDs, or the top N (by the field in the range's newest snapshot): raw
 * snapshots inside the range (every k-th when there are more than the points allowed) and daily rollups for the days
 * before the first raw snapshot. A hotkey's series follows the hotkey wherever it sat; a UID's follows the UID.
 */
export function traces(
  db: SqlDatabase,
  repo: SnapshotRepo,
  netuid: number,
  chain: ChainScope,
  field: TraceField,
  selection: TraceSelection,
  range: BlockRange,
  maxPoints?: number,
): Traces {
  const checked = oneOf(field, TRACE_FIELDS, 'field');
  const { column, scale } = TRACE_FIELD_SQL[checked];
  const byUid = isUidSelection(selection);
  const selected = byUid ? selection.uids.filter(Number.isInteger).slice(0, TRACE_SERIES_MAX) : selectedHotkeyIds(db, repo, netuid, chain, column, selection, range);
  const series = startSeries(byUid, selected);
  const first = firstRaw(db, netuid, chain, range);
  const selectColumn = byUid ? 'uid' : 'hotkey_id';
  const selectedJson = JSON.stringify([...series.keys()]);
  const limit = boundedCount(maxPoints, TRACE_POINTS_DEFAULT, TRACE_POINTS_MAX);
  const days = series.size === 0 ? [] : rollupDays(db, netuid, chain, range);
  if (days.length > 0) {
    const found = jsonResult<[number, number, number | null, number, number, number, number][]>(db,
      `SELECT json_group_array(json_array(day, selected, value, last_block, hotkey_id, coldkey_id, uid)) FROM (
         SELECT day, ${selectColumn} AS selected, ${DAILY[checked]} AS value, MAX(last_block) AS last_block, hotkey_id, coldkey_id, uid
         FROM bittensor_uid_days WHERE chain = ? AND netuid = ? AND day IN (SELECT value FROM json_each(?)) AND ${selectColumn} IN (SELECT value FROM json_each(?))
         GROUP BY day, ${selectColumn} ORDER BY day)`,
      [chain.id, netuid, JSON.stringify(days.map((d) => d.day)), selectedJson]) ?? [];
    addDailyPoints(series, days, found, scale);
  }
  const raw = series.size === 0 || first === null ? [] : rawSnapshots(db, netuid, chain, range, Math.max(1, limit - days.length));
  if (raw.length > 0) {
    const found = jsonResult<[number, number, number, number, number][]>(db,
      // A UID is found through the (snapshot, uid) key; a hotkey through its index (the planner would scan each snapshot).
      `SELECT json_group_array(json_array(snapshot_id, ${selectColumn}, ${column}, hotkey_id, coldkey_id))
       FROM bittensor_neurons ${byUid ? '' : 'INDEXED BY bittensor_neurons_by_hotkey'}
       WHERE snapshot_id IN (SELECT value FROM json_each(?)) AND ${selectColumn} IN (SELECT value FROM json_each(?))`,
      [JSON.stringify(raw.map((s) => s.id)), selectedJson]) ?? [];
    addRawPoints(series, raw, found, scale);
  }
  const out = finishSeries(series, keysById(db, seriesKeyIds(series)));
  return { netuid, field, rawFromBlock: first?.block ?? null, series: out };
}

/** [hotkey id, hotkey] of the named hotkeys that were ever stored, or of the top N in the range's newest snapshot. */
function selectedHotkeyIds(
  db: SqlDatabase,
  repo: SnapshotRepo,
  netuid: number,
  chain: ChainScope,
  column: string,
  selection: { readonly hotkeys: readonly string[] } | { readonly top: number },
  range: BlockRange,
): [number, string][] {
  if ('hotkeys' in selection) {
    const hotkeys = selection.hotkeys.filter((hotkey) => typeof hotkey === 'string').slice(0, TRACE_SERIES_MAX);
    const ids = idsByKey(db, hotkeys);
    return hotkeys.flatMap((hotkey) => (ids.has(hotkey) ? [[ids.get(hotkey)!, hotkey] as [number, string]] : []));
  }
  const newest = repo.find(netuid, range.toBlock, chain);
  if (!newest || (range.fromBlock !== undefined && newest.block < range.fromBlock)) return [];
  const top = jsonResult<[number, string][]>(db,
    `SELECT json_group_array(json_array(hotkey_id, ss58)) FROM (
       SELECT n.hotkey_id, k.ss58 FROM bittensor_neurons n JOIN bittensor_keys k ON k.id = n.hotkey_id
       WHERE n.snapshot_id = ? ORDER BY n.${column} DESC, n.uid LIMIT ?)`,
    [newest.id, boundedCount(selection.top, 20, TRACE_SERIES_MAX)]) ?? [];
  return top;
}
