import type { Database as SqlDatabase } from 'sql.js';
import { rows } from '../sqlRows';
import { genesisKey, type ChainScope } from '../../../bittensor/chainGenesisScope';
import { onChainSql } from './sqliteOnChain';
import { blockBounds, boundedCount } from '../../../bittensor/historyBounds';
import { occupancyOf } from '../../../bittensor/model';
import { churnPoint } from '../../../bittensor/churnPoints';
import type {
  BlockRange, ChurnHistory, ChurnPoint, RegistrationDay, SlotsPoint,
} from '../../../bittensor/subnetHistoryModel';
import { CHURN_POINTS_DEFAULT, CHURN_POINTS_MAX } from '../../../bittensor/churnHistoryBounds';

/*
 * Each complete snapshot against the complete one before it (which may lie before the range). The page's snapshots
 * come back as one JSON text each ([uid, hotkey id] pairs) and are compared here: set differences of 1,024 ids are
 * cheaper in JS than an EXCEPT per pair in SQL (a temporary b-tree each). A hotkey holds one UID of a subnet at a
 * time, so added / removed are set differences of hotkeys and `changed` compares UID by UID.
 */
const PAGE = `
  SELECT block, block_time, (SELECT json_group_array(json_array(uid, hotkey_id)) FROM bittensor_neurons WHERE snapshot_id = s.id)
  FROM bittensor_snapshots s WHERE netuid = ? AND ${onChainSql()} AND complete = 1 AND block <= ? ORDER BY block DESC LIMIT ?`;

/*
 * A registration is a (UID, hotkey) pair seen for the first time. Pairs seen at the subnet's earliest sample were
 * registered before the history began and are not counted.
 */
const REGISTRATIONS = `
  WITH firsts AS (
    SELECT MIN(day) AS day, MIN(first_block) AS block FROM bittensor_uid_days WHERE chain = ?4 AND netuid = ?1 GROUP BY uid, hotkey_id
  )
  SELECT day, COUNT(*) FROM firsts
  WHERE block > (SELECT MIN(first_block) FROM bittensor_uid_days WHERE chain = ?4 AND netuid = ?1) AND block BETWEEN ?2 AND ?3
  GROUP BY day ORDER BY day`;

export function churnHistory(db: SqlDatabase, netuid: number, chain: ChainScope, range: BlockRange, limit?: number): ChurnHistory {
  const [from, to] = blockBounds(range);
  const genesis = genesisKey(chain);
  const points = boundedCount(limit, CHURN_POINTS_DEFAULT, CHURN_POINTS_MAX);
  const snapshots = rows(db, PAGE, [netuid, genesis, to, points + 1]).reverse()
    .map(([block, time, neurons]) => ({ block: block as number, time: time as number, neurons: JSON.parse(neurons as string) as [number, number][] }));
  const churn: ChurnPoint[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    if (snapshots[i].block >= from) churn.push(churnPoint(snapshots[i - 1], snapshots[i]));
  }
  // Pairs in the range: its complete snapshots, less the subnet's first (it has none before it).
  const [inRange, first] = rows(db,
    `SELECT SUM(block BETWEEN ? AND ?), MIN(block) FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND complete = 1 AND block <= ?`,
    [from, to, netuid, genesis, to])[0] as [number | null, number | null];
  const pairs = (inRange ?? 0) - (first !== null && first >= from ? 1 : 0);
  return {
    netuid,
    churn,
    churnTruncated: pairs > churn.length,
    slots: slotsOverTime(db, netuid, genesis, from, to, points),
    registrationsPerDay: rows(db, REGISTRATIONS, [netuid, from, to, chain.id])
      .map(([day, registrations]): RegistrationDay => ({ day: day as number, registrations: registrations as number })),
  };
}

/** From snapshot headers (thinned snapshots keep theirs): every k-th back from the newest, at most `limit`. */
function slotsOverTime(db: SqlDatabase, netuid: number, genesis: string, from: number, to: number, limit: number): SlotsPoint[] {
  const count = rows(db, `SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND block BETWEEN ? AND ?`,
    [netuid, genesis, from, to])[0][0] as number;
  const every = Math.max(1, Math.ceil(count / limit));
  return rows(db,
    `SELECT block, block_time, n, validators, facts ->> '$.maxUids', facts ->> '$.maxValidators' FROM (
       SELECT *, ROW_NUMBER() OVER (ORDER BY block DESC) - 1 AS back FROM bittensor_snapshots
       WHERE netuid = ? AND ${onChainSql()} AND block BETWEEN ? AND ?)
     WHERE back % ? = 0 ORDER BY block`,
    [netuid, genesis, from, to, every]).map(([block, time, n, validators, maxUids, maxValidators]) => ({
    block: block as number,
    time: time as number,
    n: n as number,
    occupancy: occupancyOf(n as number, validators as number, maxUids as number | null, maxValidators as number | null),
  }));
}
