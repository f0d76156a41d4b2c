import type { Database as SqlDatabase } from 'sql.js';
import { rows } from '../sqlRows';
import { genesisKey, type ChainScope } from '../../../bittensor/chainGenesisScope';
import { onChainSql } from './sqliteOnChain';
import { blockBounds } from '../../../bittensor/historyBounds';
import { BLOCKS_PER_DAY, type SubnetFacts } from '../../../bittensor/model';
import type { BlockRange, SubnetOverview } from '../../../bittensor/subnetHistoryModel';
import type { SubnetRepo } from './subnetRepo';
import { overviewOf } from '../../../bittensor/subnetOverviewRows';

/**
 * The dashboard's first row for a subnet: its newest snapshot against the head (staleness), and against the newest
 * snapshot at least a day (7,200 blocks) older for the 24 h changes. Headers outlive their rows, so a day-old
 * comparison works past the raw window too. null when the subnet has no complete snapshot on chain `chain`; every
 * figure is that chain's (another chain's snapshots and register costs are never compared with). A range moves
 * "newest" to the newest snapshot inside it and keeps the comparisons and counts inside it too.
 */
export function subnetOverview(
  db: SqlDatabase, subnets: SubnetRepo, netuid: number, chain: ChainScope, headBlock: number | null, range: BlockRange = {},
): SubnetOverview | null {
  const onChain = onChainSql();
  const genesis = genesisKey(chain);
  const [from, to] = blockBounds(range);
  const newest = rows(db,
    `SELECT id, block, block_time, n, validators, facts FROM bittensor_snapshots
     WHERE netuid = ? AND ${onChain} AND complete = 1 AND block BETWEEN ? AND ? ORDER BY block DESC LIMIT 1`,
    [netuid, genesis, from, to])[0];
  if (!newest) return null;
  const [id, block, time, n, validators, factsJson] = newest as [number, number, number, number, number, string];
  const facts = JSON.parse(factsJson) as SubnetFacts;
  const dayBefore = rows(db,
    `SELECT block, n, validators FROM bittensor_snapshots WHERE netuid = ? AND ${onChain} AND block BETWEEN ? AND ? ORDER BY block DESC LIMIT 1`,
    [netuid, genesis, from, block - BLOCKS_PER_DAY])[0] as [number, number, number] | undefined;
  const emissionRao = rows(db, 'SELECT TOTAL(emission) FROM bittensor_neurons WHERE snapshot_id = ?', [id])[0][0] as number;
  const [stored, complete, oldestBlock] = rows(db,
    `SELECT COUNT(*), SUM(complete), MIN(block) FROM bittensor_snapshots WHERE netuid = ? AND ${onChain} AND block BETWEEN ? AND ?`,
    [netuid, genesis, from, to])[0] as [number, number, number];
  return overviewOf(netuid, headBlock, {
    newest: { block, time, n, validators, facts },
    dayBefore: dayBefore && { block: dayBefore[0], n: dayBefore[1], validators: dayBefore[2] },
    emissionRao,
    snapshots: { stored, complete, oldestBlock },
    burnChangeRao: subnets.burnChange24h(netuid, chain, [from, to]),
  });
}
