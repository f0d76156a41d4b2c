/**
 * The Bittensor data model shared by the engine, the CLI and (through the protocol) the views. Figures are already
 * scaled: scores 0–1 (u16 / 65535), stake and emission in TAO or alpha units (RAO / 1e9).
 */

export interface AxonRow {
  /** IPv4 dotted or IPv6 text, from the u128 and ip_type of AxonInfo. */
  readonly ip: string;
  readonly port: number;
  readonly ipType: 4 | 6;
  readonly version: number;
}

export interface NeuronRow {
  readonly uid: number;
  readonly hotkey: string;
  readonly coldkey: string;
  readonly active: boolean;
  readonly validatorPermit: boolean;
  /** alpha + TAO × TaoWeight (the chain's total_stake), in alpha units. */
  readonly stake: number;
  readonly stakeAlpha: number;
  readonly stakeTao: number;
  readonly rank: number;
  readonly trust: number;
  readonly consensus: number;
  readonly incentive: number;
  readonly dividends: number;
  readonly validatorTrust: number;
  /** Emission per tempo, alpha units. */
  readonly emission: number;
  readonly lastUpdate: number;
  /** null when the runtime does not report it (no metagraph runtime API at that block). */
  readonly registrationBlock: number | null;
  readonly axon: AxonRow | null;
  /** The coldkey's on-chain identity name, when it has one. */
  readonly identity?: string;
}

export interface Occupancy {
  readonly validators: { readonly used: number; readonly max: number | null };
  readonly miners: { readonly used: number; readonly max: number | null };
}

/** Subnet-level figures read with a snapshot (null where the runtime at that block did not report them). */
export interface SubnetFacts {
  readonly name: string;
  readonly symbol: string | null;
  readonly tempo: number | null;
  readonly maxUids: number | null;
  readonly maxValidators: number | null;
  readonly burnTao: number | null;
  /** Spot price of the subnet's alpha in TAO (tao_in / alpha_in). */
  readonly priceTao: number | null;
  /** The chain's moving price (I96F32). */
  readonly movingPriceTao: number | null;
  /** Derived from total = alpha + tao × TaoWeight where the chain reports all three. */
  readonly taoWeight: number | null;
}

export interface MetagraphSnapshot extends SubnetFacts {
  readonly netuid: number;
  readonly block: number;
  readonly blockHash?: string;
  readonly n: number;
  readonly validators: number;
  readonly coldkeys: number;
  readonly occupancy: Occupancy;
  readonly neurons: NeuronRow[];
}

export interface SubnetSummary {
  readonly netuid: number;
  readonly name: string;
  readonly tempo: number | null;
  readonly uids: number;
  readonly maxUids: number | null;
  readonly validators: number;
  /** True when `validators` is min(maxValidators, uids) rather than a count of permits from a snapshot. */
  readonly validatorsEstimated: boolean;
  readonly maxValidators: number | null;
  readonly burnTao: number | null;
  readonly burnChange24hTao: number | null;
  readonly priceTao: number | null;
  readonly latestSnapshotBlock: number | null;
  readonly headBlock: number | null;
  readonly stale: boolean;
  readonly tracked: boolean;
}

export interface HotkeyChange {
  readonly uid: number;
  readonly from: string;
  readonly to: string;
}

export interface Churn {
  readonly netuid: number;
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly added: string[];
  readonly removed: string[];
  /** UIDs whose hotkey was replaced (deregistered and re-registered) between the two snapshots. */
  readonly changed: HotkeyChange[];
  readonly occupancy: { readonly from: Occupancy; readonly to: Occupancy };
}

export interface GroupPoint {
  readonly block: number;
  readonly groups: number;
  /** Size of the largest group. */
  readonly largest: number;
  /** Hotkeys in groups of two or more. */
  readonly grouped: number;
}

export type AlertKind = 'deregistered' | 'incentive-drop' | 'weights-stale';

export interface HotkeyAlert {
  readonly hotkey: string;
  readonly netuid: number;
  readonly kind: AlertKind;
  readonly message: string;
}

/** Staleness per DESIGN.md: a snapshot 100 or more blocks behind the head is out of date. */
export const STALE_AFTER_BLOCKS = 100;
/** 12 s blocks: 7,200 a day. */
export const BLOCKS_PER_DAY = 7_200;
export const SECONDS_PER_BLOCK = 12;

/**
 * DESIGN.md "Occupancy": validators hold `permits` of MaxAllowedValidators slots; miners hold every other registered
 * UID, of the MaxAllowedUids slots validators do not hold (not MaxAllowedUids − MaxAllowedValidators: unused validator
 * slots are open to miners, so a full subnet reads 1012 / 1012 with 12 permits, never 1012 / 896). A slot held is a
 * slot that exists: where governance lowered a maximum below what is held (until the chain trims), the maximum shown
 * is what is held, so used never exceeds available.
 */
export function occupancyOf(n: number, validators: number, maxUids: number | null, maxValidators: number | null): Occupancy {
  const miners = n - validators;
  return {
    validators: { used: validators, max: maxValidators === null ? null : Math.max(maxValidators, validators) },
    miners: { used: miners, max: maxUids === null ? null : Math.max(maxUids - validators, miners) },
  };
}

/**
 * One row of a subnet's weights matrix: the weights the UID last set (storage `Weights(netuid, uid)`). Weights are
 * normalised so that each row sums to 1, as Yuma consensus reads them (the chain keeps u16s scaled to a max of 65535).
 */
export interface WeightRow {
  readonly uid: number;
  /** From the newest stored snapshot of the subnet, when there is one (null otherwise). */
  readonly hotkey: string | null;
  readonly stake: number | null;
  readonly validatorPermit: boolean | null;
  /** Block of the UID's last weight-setting, from the same snapshot. */
  readonly lastUpdate: number | null;
  /** [target UID, weight] pairs, target ascending; the weights sum to 1. */
  readonly weights: readonly (readonly [number, number])[];
}

/** Agreement between the rows of a weights matrix (the Opentensor Dashboards' planned "weights analysis"). */
export interface ValidatorAgreement {
  /** The rows that set any weight (matrix order, at most MAX_AGREEMENT_ROWS): the order of `cosine`'s rows and columns. */
  readonly uids: readonly number[];
  /** Cosine similarity of every pair of rows, row-major, uids.length²; symmetric with 1 on the diagonal. */
  readonly cosine: readonly number[];
  /** Each row's cosine with the stake-weighted mean row (how far a validator is from the rest). */
  readonly withConsensus: readonly { readonly uid: number; readonly cosine: number }[];
  /** Pairs of rows with cosine ≥ NEAR_DUPLICATE_COSINE: candidates for weight copying, highest first. */
  readonly nearDuplicates: readonly { readonly a: number; readonly b: number; readonly cosine: number }[];
}

export interface WeightsMatrix {
  readonly netuid: number;
  readonly block: number;
  /** Rows by stake (highest first) where the snapshot knows it, then by UID. */
  readonly rows: readonly WeightRow[];
  /** Every UID some row gives weight to, ascending: the matrix's columns. */
  readonly targets: readonly number[];
  readonly agreement: ValidatorAgreement;
}

/** Cosine at or above which two validators' weights count as near duplicates. */
export const NEAR_DUPLICATE_COSINE = 0.99;
