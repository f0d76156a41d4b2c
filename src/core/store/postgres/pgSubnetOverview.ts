import { genesisKey, type ChainScope } from '../../bittensor/chainGenesisScope';
import { blockBounds } from '../../bittensor/historyBounds';
import { BLOCKS_PER_DAY, type SubnetFacts } from '../../bittensor/model';
import type { BlockRange, SubnetOverview } from '../../bittensor/subnetHistoryModel';
import { overviewOf } from '../../bittensor/subnetOverviewRows';
import { pgRow, pgValue, type PgReader } from './pgReader';
import { burnChange24h } from './pgSubnetStore';

const ON_CHAIN = "COALESCE(genesis, '') = $2";

/** overviewQuery.ts's reads on PostgreSQL; the figures come from the shared overviewOf. */
export async function pgSubnetOverview(db: PgReader, netuid: number, chain: ChainScope, headBlock: number | null, range: BlockRange = {}): Promise<SubnetOverview | null> {
  const genesis = genesisKey(chain);
  const [from, to] = blockBounds(range);
  const newest = await pgRow<[number, number, number, number, number, string]>(db,
    `SELECT id, block, block_time, n, validators, facts FROM bittensor_snapshots
     WHERE netuid = $1 AND ${ON_CHAIN} AND complete = 1 AND block BETWEEN $3 AND $4 ORDER BY block DESC LIMIT 1`, [netuid, genesis, from, to]);
  if (!newest) return null;
  const [id, block, time, n, validators, factsJson] = newest;
  const [dayBefore, emissionRao, counts, burnChangeRao] = await Promise.all([
    pgRow<[number, number, number]>(db,
      `SELECT block, n, validators FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND block BETWEEN $3 AND $4 ORDER BY block DESC LIMIT 1`,
      [netuid, genesis, from, block - BLOCKS_PER_DAY]),
    pgValue<number>(db, 'SELECT COALESCE(SUM(emission), 0) FROM bittensor_neurons WHERE snapshot_id = $1', [id]),
    pgRow<[number, number, number]>(db,
      `SELECT COUNT(*), SUM(complete), MIN(block) FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND block BETWEEN $3 AND $4`,
      [netuid, genesis, from, to]),
    burnChange24h(db, netuid, chain, [from, to]),
  ]);
  const [stored, complete, oldestBlock] = counts!;
  return overviewOf(netuid, headBlock, {
    newest: { block, time, n, validators, facts: JSON.parse(factsJson) as SubnetFacts },
    dayBefore: dayBefore && { block: dayBefore[0], n: dayBefore[1], validators: dayBefore[2] },
    emissionRao: emissionRao!,
    snapshots: { stored, complete, oldestBlock },
    burnChangeRao,
  });
}
