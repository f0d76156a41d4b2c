import type { Database as SqlDatabase } from 'sql.js';
import { rows } from '../sqlRows';
import type { SubnetFacts, SubnetSummary } from '../../../bittensor/model';
import type { ChainGenesisRepo } from './chainGenesisRepo';
import type { SubnetRepo } from './subnetRepo';
import { summariesOf, type LatestSnapshot } from '../../../bittensor/subnetSummaryRows';

/**
 * The Subnets view's rows: the chain's subnet list where it was read, completed and corrected by each subnet's
 * newest snapshot (permits counted rather than estimated), with the 24 h register-cost change and staleness.
 */
export function subnetSummaries(
  db: SqlDatabase,
  subnets: SubnetRepo,
  tracked: readonly number[],
  headBlock: number | null,
  chain?: ChainGenesisRepo,
): SubnetSummary[] {
  // Another chain's rows (an endpoint moved to a testnet, say) are kept but are not this chain's subnets.
  const [sOnChain, params] = chain?.onCurrent('s.genesis') ?? ['1 = 1', []];
  const [tOnChain] = chain?.onCurrent('t.genesis') ?? ['1 = 1'];
  const latest = new Map<number, LatestSnapshot>();
  for (const [netuid, block, n, validators, facts] of rows(db,
    `SELECT s.netuid, s.block, s.n, s.validators, s.facts FROM bittensor_snapshots s
     WHERE ${sOnChain} AND s.block = (SELECT MAX(block) FROM bittensor_snapshots t WHERE t.netuid = s.netuid AND ${tOnChain})`,
    [...params, ...params])) {
    latest.set(netuid as number, { block: block as number, n: n as number, validators: validators as number, facts: JSON.parse(facts as string) as SubnetFacts });
  }
  const listings = subnets.listing(chain?.onCurrent());
  const netuids = new Set([...listings.map((listing) => listing.netuid), ...latest.keys()]);
  const changes = new Map([...netuids].map((netuid) => [netuid, subnets.burnChange24h(netuid)]));
  return summariesOf(listings, latest, changes, tracked, headBlock);
}
