import type { Database as SqlDatabase } from 'sql.js';
import { rows } from '../store/sqlRows';
import type { SubnetListing } from './bittensorStore';
import { STALE_AFTER_BLOCKS, type SubnetFacts, type SubnetSummary } from './model';
import type { ChainGenesisRepo } from './chainGenesisRepo';
import type { SubnetRepo } from './subnetRepo';

interface LatestSnapshot {
  readonly block: number;
  readonly n: number;
  readonly validators: number;
  readonly facts: SubnetFacts;
}

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
  const listings = new Map<number, SubnetListing>(subnets.listing(chain?.onCurrent()).map((listing) => [listing.netuid, listing]));
  const netuids = [...new Set([...listings.keys(), ...latest.keys()])].sort((a, b) => a - b);
  return netuids.map((netuid) => {
    const listing = listings.get(netuid);
    const snapshot = latest.get(netuid);
    const uids = listing?.uids ?? snapshot?.n ?? 0;
    const maxValidators = listing?.maxValidators ?? snapshot?.facts.maxValidators ?? null;
    const burnRao = listing?.burnRao ?? (snapshot?.facts.burnTao == null ? null : Math.round(snapshot.facts.burnTao * 1e9));
    const change = subnets.burnChange24h(netuid);
    const latestSnapshotBlock = snapshot?.block ?? null;
    return {
      netuid,
      name: listing && !listing.name.startsWith('subnet ') ? listing.name : snapshot?.facts.name ?? listing?.name ?? `subnet ${netuid}`,
      tempo: listing?.tempo ?? snapshot?.facts.tempo ?? null,
      uids,
      maxUids: listing?.maxUids ?? snapshot?.facts.maxUids ?? null,
      validators: snapshot ? snapshot.validators : Math.min(maxValidators ?? 0, uids),
      validatorsEstimated: !snapshot,
      maxValidators,
      burnTao: burnRao === null ? null : burnRao / 1e9,
      burnChange24hTao: change === null ? null : change / 1e9,
      priceTao: listing?.priceTao ?? snapshot?.facts.priceTao ?? null,
      latestSnapshotBlock,
      headBlock,
      stale: latestSnapshotBlock !== null && headBlock !== null && headBlock - latestSnapshotBlock >= STALE_AFTER_BLOCKS,
      tracked: tracked.includes(netuid),
    };
  });
}
