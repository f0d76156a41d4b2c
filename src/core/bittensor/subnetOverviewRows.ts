import { RAO } from './historyBounds';
import { occupancyOf, STALE_AFTER_BLOCKS, type SubnetFacts } from './model';
import type { SubnetOverview } from './subnetHistoryModel';

/** What overviewQuery.ts reads of the store for one subnet; the figures are built from it by overviewOf, on either store. */
export interface OverviewReads {
  readonly newest: { readonly block: number; readonly time: number; readonly n: number; readonly validators: number; readonly facts: SubnetFacts };
  /** The newest header at least a day older inside the range. */
  readonly dayBefore: { readonly block: number; readonly n: number; readonly validators: number } | undefined;
  readonly emissionRao: number;
  readonly snapshots: { readonly stored: number; readonly complete: number; readonly oldestBlock: number };
  /** Register cost change over 24 h in RAO (subnetRepo.ts's burnChange24h). */
  readonly burnChangeRao: number | null;
}

export function overviewOf(netuid: number, headBlock: number | null, reads: OverviewReads): SubnetOverview {
  const { newest: { block, time, n, validators, facts }, dayBefore, emissionRao, snapshots, burnChangeRao } = reads;
  const blocksBehind = headBlock === null ? null : Math.max(0, headBlock - block);
  return {
    netuid,
    name: facts.name,
    symbol: facts.symbol,
    headBlock,
    newestBlock: block,
    newestTime: time,
    blocksBehind,
    stale: blocksBehind !== null && blocksBehind >= STALE_AFTER_BLOCKS,
    burnTao: facts.burnTao,
    burnChange24hTao: burnChangeRao === null ? null : burnChangeRao / RAO,
    n,
    validators,
    miners: n - validators,
    validatorsChange24h: dayBefore ? validators - dayBefore.validators : null,
    minersChange24h: dayBefore ? n - validators - (dayBefore.n - dayBefore.validators) : null,
    comparedBlock: dayBefore ? dayBefore.block : null,
    emissionPerTempo: emissionRao / RAO,
    priceTao: facts.priceTao,
    movingPriceTao: facts.movingPriceTao,
    tempo: facts.tempo,
    occupancy: occupancyOf(n, validators, facts.maxUids, facts.maxValidators),
    snapshots,
  };
}
