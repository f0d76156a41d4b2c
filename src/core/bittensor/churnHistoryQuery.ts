import type { Database as SqlDatabase } from 'sql.js';
import { blockBounds, boundedCount } from './historySql';
import { occupancyOf } from './model';
import { rows } from './snapshotRepo';
import type { BlockRange, ChurnHistory, ChurnPoint, RegistrationDay, SlotsPoint } from './subnetHistoryModel';

export const CHURN_POINTS_DEFAULT = 500;
export const CHURN_POINTS_MAX = 2_000;

/*
 * Each complete snapshot against the complete one before it (which may lie before the range). A hotkey holds one
 * UID of a subnet at a time, so added / removed are set differences of hotkeys and `changed` compares the two
 * snapshots UID by UID through the (snapshot, uid) key.
 */
const CHURN = `
  WITH pairs AS (
    SELECT id, block, block_time, LAG(id) OVER w AS prev_id, LAG(block) OVER w AS prev_block
    FROM bittensor_snapshots WHERE netuid = ?1 AND complete = 1 AND block <= ?3 WINDOW w AS (ORDER BY block)
  ), page AS (
    SELECT * FROM pairs WHERE prev_id IS NOT NULL AND block >= ?2 ORDER BY block DESC LIMIT ?4
  )
  SELECT block, block_time, prev_block,
    (SELECT COUNT(*) FROM (SELECT hotkey_id FROM bittensor_neurons WHERE snapshot_id = page.id
                           EXCEPT SELECT hotkey_id FROM bittensor_neurons WHERE snapshot_id = page.prev_id)),
    (SELECT COUNT(*) FROM (SELECT hotkey_id FROM bittensor_neurons WHERE snapshot_id = page.prev_id
                           EXCEPT SELECT hotkey_id FROM bittensor_neurons WHERE snapshot_id = page.id)),
    (SELECT COUNT(*) FROM bittensor_neurons a JOIN bittensor_neurons b ON b.snapshot_id = page.prev_id AND b.uid = a.uid
     WHERE a.snapshot_id = page.id AND a.hotkey_id <> b.hotkey_id),
    (SELECT COUNT(*) FROM pairs WHERE prev_id IS NOT NULL AND block >= ?2)
  FROM page ORDER BY block`;

/*
 * A registration is a (UID, hotkey) pair seen for the first time. Pairs seen at the subnet's earliest sample were
 * registered before the history began and are not counted.
 */
const REGISTRATIONS = `
  WITH firsts AS (
    SELECT MIN(day) AS day, MIN(first_block) AS block FROM bittensor_uid_days WHERE netuid = ?1 GROUP BY uid, hotkey_id
  )
  SELECT day, COUNT(*) FROM firsts
  WHERE block > (SELECT MIN(first_block) FROM bittensor_uid_days WHERE netuid = ?1) AND block BETWEEN ?2 AND ?3
  GROUP BY day ORDER BY day`;

export function churnHistory(db: SqlDatabase, netuid: number, range: BlockRange, limit?: number): ChurnHistory {
  const [from, to] = blockBounds(range);
  const points = boundedCount(limit, CHURN_POINTS_DEFAULT, CHURN_POINTS_MAX);
  let pairs = 0;
  const churn: ChurnPoint[] = rows(db, CHURN, [netuid, from, to, points]).map(([block, time, previousBlock, added, removed, changed, total]) => {
    pairs = total as number;
    return { block: block as number, time: time as number, previousBlock: previousBlock as number, added: added as number, removed: removed as number, changed: changed as number };
  });
  return {
    netuid,
    churn,
    churnTruncated: pairs > churn.length,
    slots: slotsOverTime(db, netuid, from, to, points),
    registrationsPerDay: rows(db, REGISTRATIONS, [netuid, from, to])
      .map(([day, registrations]): RegistrationDay => ({ day: day as number, registrations: registrations as number })),
  };
}

/** From snapshot headers (thinned snapshots keep theirs): every k-th back from the newest, at most `limit`. */
function slotsOverTime(db: SqlDatabase, netuid: number, from: number, to: number, limit: number): SlotsPoint[] {
  const count = rows(db, 'SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = ? AND block BETWEEN ? AND ?', [netuid, from, to])[0][0] as number;
  const every = Math.max(1, Math.ceil(count / limit));
  return rows(db,
    `SELECT block, block_time, n, validators, facts ->> '$.maxUids', facts ->> '$.maxValidators' FROM (
       SELECT *, ROW_NUMBER() OVER (ORDER BY block DESC) - 1 AS back FROM bittensor_snapshots WHERE netuid = ? AND block BETWEEN ? AND ?)
     WHERE back % ? = 0 ORDER BY block`,
    [netuid, from, to, every]).map(([block, time, n, validators, maxUids, maxValidators]) => ({
    block: block as number,
    time: time as number,
    n: n as number,
    occupancy: occupancyOf(n as number, validators as number, maxUids as number | null, maxValidators as number | null),
  }));
}
