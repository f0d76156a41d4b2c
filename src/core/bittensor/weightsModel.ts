import type { WeightsMatrix } from './model';

/**
 * What the weights panel shows beyond the matrix and its pairwise agreement: clusters of validators, a 2-D map of
 * them, and their identity names. Computed in the engine from the agreement's cosine matrix (weightsStructure.ts).
 */

/** Validators whose weight rows agree: average-linkage clusters of the agreement rows (weightsClusters.ts). */
export interface WeightClusters {
  /** Clusters are merged while their average cosine is at least this. */
  readonly threshold: number;
  /** Largest first; members in matrix (stake) order. */
  readonly clusters: readonly { readonly uids: readonly number[]; readonly meanCosine: number }[];
}

/** Classical MDS of the cosine distances between weight rows (weightsEmbedding.ts). */
export interface WeightEmbedding {
  /** The agreement's UIDs, in its order; `points[i]` is `uids[i]`. */
  readonly uids: readonly number[];
  readonly points: readonly (readonly [x: number, y: number])[];
  /** Share of the total variance each axis shows (0–1). */
  readonly explained: readonly [number, number];
}

export interface WeightsStructure {
  readonly clusters: WeightClusters;
  readonly embedding: WeightEmbedding;
  /** On-chain identity names of the rows' coldkeys, from the snapshot (untrusted chain text). */
  readonly identities: readonly { readonly uid: number; readonly name: string }[];
}

/** The weights matrix as the panel and the CLI receive it. */
export type WeightsView = WeightsMatrix & { readonly structure: WeightsStructure };

/** A validator's weights over stored snapshots (weightsHistory.ts). */
export interface ValidatorWeightsHistory {
  readonly netuid: number;
  readonly hotkey: string;
  /** The targets charted: those given the most weight summed over the points, most first. */
  readonly targets: readonly number[];
  readonly points: readonly {
    readonly block: number;
    /** The hotkey's UID in that snapshot; null when it was not registered then. */
    readonly uid: number | null;
    /** Its normalised weight to each of `targets` (0 where it set none). */
    readonly weights: readonly number[];
    /** Its weight to every other target, summed. */
    readonly rest: number;
  }[];
}

/** Pearson correlation of stake series over the snapshots two series share (stakeCorrelation.ts). */
export interface StakeCorrelation {
  readonly netuid: number;
  readonly series: readonly { readonly key: string; readonly hotkey: string | null; readonly uid: number | null }[];
  /** Row-major, series.length²; null where fewer than MIN_ALIGNED points are shared or a series is flat there. */
  readonly coefficients: readonly (number | null)[];
  /** How many snapshots each pair shares, row-major. */
  readonly aligned: readonly number[];
}
