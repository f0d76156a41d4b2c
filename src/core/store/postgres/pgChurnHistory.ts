import { genesisKey, type ChainScope } from '../../bittensor/chainGenesisScope';
import { CHURN_POINTS_DEFAULT, CHURN_POINTS_MAX } from '../../bittensor/churnHistoryBounds';
import { churnPoint } from '../../bittensor/churnPoints';
import { blockBounds, boundedCount } from '../../bittensor/historyBounds';
import { occupancyOf, type SubnetFacts } from '../../bittensor/model';
import type { BlockRange, ChurnHistory, ChurnPoint, SlotsPoint } from '../../bittensor/subnetHistoryModel';
import { pgRow, pgRows, pgValue, type PgReader } from './pgReader';

const ON_CHAIN = "COALESCE(genesis, '') = $2";

/** sqliteChurnHistory.ts on PostgreSQL (read its comments for the rules); the comparison is the shared churnPoint. */
export async function pgChurnHistory(db: PgReader, netuid: number, chain: ChainScope, range: BlockRange, limit?: number): Promise<ChurnHistory> {
  const [from, to] = blockBounds(range);
  const genesis = genesisKey(chain);
  const points = boundedCount(limit, CHURN_POINTS_DEFAULT, CHURN_POINTS_MAX);
  const snapshots = (await pgRows<[number, number, [number, number][] | null]>(db,
    `SELECT block, block_time, (SELECT json_agg(json_build_array(uid, hotkey_id)) FROM bittensor_neurons WHERE snapshot_id = s.id)
     FROM bittensor_snapshots s WHERE netuid = $1 AND ${ON_CHAIN} AND complete = 1 AND block <= $3 ORDER BY block DESC LIMIT $4`,
    [netuid, genesis, to, points + 1])).reverse().map(([block, time, neurons]) => ({ block, time, neurons: neurons ?? [] }));
  const churn: ChurnPoint[] = [];
  for (let i = 1; i < snapshots.length; i++) {
    if (snapshots[i].block >= from) churn.push(churnPoint(snapshots[i - 1], snapshots[i]));
  }
  const [inRange, first] = (await pgRow<[number | null, number | null]>(db,
    `SELECT SUM(CASE WHEN block BETWEEN $3 AND $4 THEN 1 ELSE 0 END), MIN(block) FROM bittensor_snapshots
     WHERE netuid = $1 AND ${ON_CHAIN} AND complete = 1 AND block <= $4`, [netuid, genesis, from, to]))!;
  const pairs = (inRange ?? 0) - (first !== null && first >= from ? 1 : 0);
  const registrations = await pgRows<[number, number]>(db,
    `WITH firsts AS (
       SELECT MIN(day) AS day, MIN(first_block) AS block FROM bittensor_uid_days WHERE chain = $4 AND netuid = $1 GROUP BY uid, hotkey_id
     )
     SELECT day, COUNT(*) FROM firsts
     WHERE block > (SELECT MIN(first_block) FROM bittensor_uid_days WHERE chain = $4 AND netuid = $1) AND block BETWEEN $2 AND $3
     GROUP BY day ORDER BY day`, [netuid, from, to, chain.id]);
  return {
    netuid,
    churn,
    churnTruncated: pairs > churn.length,
    slots: await slotsOverTime(db, netuid, genesis, from, to, points),
    registrationsPerDay: registrations.map(([day, count]) => ({ day, registrations: count })),
  };
}

async function slotsOverTime(db: PgReader, netuid: number, genesis: string, from: number, to: number, limit: number): Promise<SlotsPoint[]> {
  const count = (await pgValue<number>(db, `SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND block BETWEEN $3 AND $4`,
    [netuid, genesis, from, to]))!;
  const every = Math.max(1, Math.ceil(count / limit));
  return (await pgRows<[number, number, number, number, string]>(db,
    `SELECT block, block_time, n, validators, facts FROM (
       SELECT *, ROW_NUMBER() OVER (ORDER BY block DESC) - 1 AS back FROM bittensor_snapshots
       WHERE netuid = $1 AND ${ON_CHAIN} AND block BETWEEN $3 AND $4) s
     WHERE back % $5 = 0 ORDER BY block`,
    [netuid, genesis, from, to, every])).map(([block, time, n, validators, factsJson]) => {
    const facts = JSON.parse(factsJson) as SubnetFacts;
    return { block, time, n, occupancy: occupancyOf(n, validators, facts.maxUids, facts.maxValidators) };
  });
}
