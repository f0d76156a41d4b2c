import type { ChainScope } from '../../bittensor/chainGenesisScope';
import { boundedCount, oneOf } from '../../bittensor/historyBounds';
import { TRACE_FIELDS, type BlockRange, type TraceField, type Traces, type TraceSelection } from '../../bittensor/subnetHistoryModel';
import { TRACE_POINTS_DEFAULT, TRACE_POINTS_MAX, TRACE_SERIES_MAX } from '../../bittensor/traceBounds';
import { TRACE_FIELD_SQL } from '../sharedSql/bittensorSql';
import { addDailyPoints, addRawPoints, finishSeries, isUidSelection, seriesKeyIds, startSeries } from '../../bittensor/traceRows';
import { pgFirstRaw, pgIdsByKey, pgKeysById, pgRawSnapshots, pgRollupDays } from './pgHistorySql';
import { pgRows, type PgReader } from './pgReader';
import type { PgSnapshotStore } from './pgSnapshotStore';

/**
 * sqliteTraces.ts on PostgreSQL (read its comments for the rules); the series are built by the shared traceRows.ts.
 * A day's figure: a mean of the day's sums in double precision (as SQLite divides), and for stake, a level, the
 * value of the day's last sample. sql.js takes that row's columns bare beside MAX(last_block); here DISTINCT ON picks
 * the row and window sums over the same (day, selection) give the mean.
 */
const DAILY: Record<TraceField, string> = {
  stake: 'stake_last::float8',
  incentive: '(SUM(incentive_sum) OVER w)::float8 / (SUM(samples) OVER w)::float8',
  dividends: '(SUM(dividends_sum) OVER w)::float8 / (SUM(samples) OVER w)::float8',
  emission: '(SUM(emission_sum) OVER w)::float8 / (SUM(samples) OVER w)::float8',
  trust: '(SUM(trust_sum) OVER w)::float8 / (SUM(samples) OVER w)::float8',
  consensus: '(SUM(consensus_sum) OVER w)::float8 / (SUM(samples) OVER w)::float8',
};

export async function pgTraces(
  db: PgReader, snapshots: PgSnapshotStore, netuid: number, chain: ChainScope, field: TraceField, selection: TraceSelection, range: BlockRange,
  maxPoints?: number,
): Promise<Traces> {
  const checked = oneOf(field, TRACE_FIELDS, 'field');
  const { column, scale } = TRACE_FIELD_SQL[checked];
  const byUid = isUidSelection(selection);
  const selected = byUid
    ? selection.uids.filter(Number.isInteger).slice(0, TRACE_SERIES_MAX)
    : await selectedHotkeyIds(db, snapshots, netuid, chain, column, selection, range);
  const series = startSeries(byUid, selected);
  const first = await pgFirstRaw(db, netuid, chain, range);
  const selectColumn = byUid ? 'uid' : 'hotkey_id';
  const wanted = [...series.keys()];
  const limit = boundedCount(maxPoints, TRACE_POINTS_DEFAULT, TRACE_POINTS_MAX);
  const days = series.size === 0 ? [] : await pgRollupDays(db, netuid, chain, range);
  if (days.length > 0) {
    const found = await pgRows<[number, number, number | null, number, number, number]>(db,
      `SELECT DISTINCT ON (day, ${selectColumn}) day, ${selectColumn}, ${DAILY[checked]}, last_block, hotkey_id, coldkey_id
       FROM bittensor_uid_days WHERE chain = $1 AND netuid = $2 AND day = ANY($3::int[]) AND ${selectColumn} = ANY($4::bigint[])
       WINDOW w AS (PARTITION BY day, ${selectColumn})
       ORDER BY day, ${selectColumn}, last_block DESC`,
      [chain.id, netuid, days.map((d) => d.day), wanted]);
    addDailyPoints(series, days, found, scale);
  }
  const raw = series.size === 0 || first === null ? [] : await pgRawSnapshots(db, netuid, chain, range, Math.max(1, limit - days.length));
  if (raw.length > 0) {
    const found = await pgRows<[number, number, number, number, number]>(db,
      `SELECT snapshot_id, ${selectColumn}, ${column}, hotkey_id, coldkey_id FROM bittensor_neurons
       WHERE snapshot_id = ANY($1::bigint[]) AND ${selectColumn} = ANY($2::bigint[])`,
      [raw.map((s) => s.id), wanted]);
    addRawPoints(series, raw, found, scale);
  }
  return { netuid, field, rawFromBlock: first?.block ?? null, series: finishSeries(series, await pgKeysById(db, seriesKeyIds(series))) };
}

async function selectedHotkeyIds(
  db: PgReader, snapshots: PgSnapshotStore, netuid: number, chain: ChainScope, column: string,
  selection: { readonly hotkeys: readonly string[] } | { readonly top: number }, range: BlockRange,
): Promise<[number, string][]> {
  if ('hotkeys' in selection) {
    const hotkeys = selection.hotkeys.filter((hotkey) => typeof hotkey === 'string').slice(0, TRACE_SERIES_MAX);
    const ids = await pgIdsByKey(db, hotkeys);
    return hotkeys.flatMap((hotkey) => (ids.has(hotkey) ? [[ids.get(hotkey)!, hotkey] as [number, string]] : []));
  }
  const newest = await snapshots.find(netuid, range.toBlock, chain);
  if (!newest || (range.fromBlock !== undefined && newest.block < range.fromBlock)) return [];
  return pgRows<[number, string]>(db,
    `SELECT n.hotkey_id, k.ss58 FROM bittensor_neurons n JOIN bittensor_keys k ON k.id = n.hotkey_id
     WHERE n.snapshot_id = $1 ORDER BY n.${column} DESC, n.uid LIMIT $2`, [newest.id, boundedCount(selection.top, 20, TRACE_SERIES_MAX)]);
}
