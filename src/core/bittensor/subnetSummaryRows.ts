import type { SubnetListing } from './bittensorStore';
import { STALE_AFTER_BLOCKS, type SubnetFacts, type SubnetSummary } from './model';

/** A subnet's newest stored snapshot header, as the Subnets view reads it. */
export interface LatestSnapshot {
  readonly block: number;
  readonly n: number;
  readonly validators: number;
  readonly facts: SubnetFacts;
}

/**
 * The rows from what the store read: the list, each subnet's newest snapshot, and each subnet's 24 h register-cost
 * change in RAO (subnetRepo.ts's burnChange24h, of the chain of its newest point). Shared by both stores.
 */
export function summariesOf(
  listed: readonly SubnetListing[],
  latest: ReadonlyMap<number, LatestSnapshot>,
  changes: ReadonlyMap<number, number | null>,
  tracked: readonly number[],
  headBlock: number | null,
): SubnetSummary[] {
  const listings = new Map<number, SubnetListing>(listed.map((listing) => [listing.netuid, listing]));
  const netuids = [...new Set([...listings.keys(), ...latest.keys()])].sort((a, b) => a - b);
  return netuids.map((netuid) => {
    const listing = listings.get(netuid);
    const snapshot = latest.get(netuid);
    const uids = listing?.uids ?? snapshot?.n ?? 0;
    const maxValidators = listing?.maxValidators ?? snapshot?.facts.maxValidators ?? null;
    const burnRao = listing?.burnRao ?? (snapshot?.facts.burnTao == null ? null : Math.round(snapshot.facts.burnTao * 1e9));
    const change = changes.get(netuid) ?? null;
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
