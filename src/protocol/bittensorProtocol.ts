import type {
  Churn, GroupPoint, HotkeyAlert, KeyGroup, MetagraphSnapshot, NeuronRow, SubnetSummary, WeightsMatrix,
} from '../core/bittensor/model';

/**
 * Engine requests and notifications of the Bittensor half. Method names start with `bittensor.`.
 * Figures are scaled (scores 0–1, stake and emission in TAO / alpha units); blocks are block numbers.
 */
export type { Churn, GroupPoint, HotkeyAlert, KeyGroup, MetagraphSnapshot, NeuronRow, SubnetSummary, WeightsMatrix };
export type { ValidatorAgreement, WeightRow } from '../core/bittensor/model';
export type { AxonRow, Occupancy, AlertKind } from '../core/bittensor/model';

export interface ChainStatusPayload {
  readonly endpoint: string;
  readonly state: 'idle' | 'connecting' | 'connected' | 'retrying' | 'stopped';
  readonly headBlock: number | null;
  readonly specVersion: number | null;
  readonly lastError: string | null;
}

export type NeuronGroup = 'validators' | 'uids';
export type NeuronSort = 'stake' | 'incentive';

export interface BittensorMethods {
  /** The subnet list: chain subnet-list APIs merged with stored snapshots; `refresh` reads the chain first. */
  'bittensor.subnets': { params: { refresh?: boolean }; result: SubnetSummary[] };
  /** Takes a snapshot from the chain (the head, or `block` from the archive endpoint), stores it and returns it. */
  'bittensor.snapshot': { params: { netuid: number; block?: number }; result: MetagraphSnapshot };
  /** A stored snapshot: at `block` or the newest before it; the newest without `block`. */
  'bittensor.metagraph': { params: { netuid: number; block?: number }; result: MetagraphSnapshot | null };
  /**
   * One page of the newest stored snapshot, sorted in the engine (the views never receive the whole metagraph):
   * validators by stake, or all UIDs by stake or incentive.
   */
  'bittensor.neurons': {
    params: { netuid: number; group: NeuronGroup; sort: NeuronSort; limit: number };
    result: { block: number; total: number; rows: NeuronRow[] } | null;
  };
  /** Where each hotkey is in the newest stored snapshot of every subnet that has one. */
  'bittensor.hotkeys': { params: { hotkeys: string[] }; result: { netuid: number; block: number; neuron: NeuronRow }[] };
  /** Churn between the two newest stored snapshots of a subnet. */
  'bittensor.churn': { params: { netuid: number }; result: Churn | null };
  /** Hotkeys grouped by coldkey or axon IP in a stored snapshot, with the grouping's history over stored snapshots. */
  'bittensor.groups': {
    params: { netuid: number; by: 'coldkey' | 'ip'; block?: number; limit?: number };
    result: { block: number; groups: KeyGroup[]; history: GroupPoint[] } | null;
  };
  /** Snapshots of past blocks from the archive endpoint (fromBlock…toBlock every `step`), with progress notifications. */
  'bittensor.backfill': { params: { netuid: number; fromBlock: number; toBlock: number; step: number }; result: { snapshots: number } };
  'bittensor.cancelBackfill': { params: { netuid?: number }; result: { cancelled: number } };
  'bittensor.status': { params: Record<string, never>; result: ChainStatusPayload };
  /** The weights matrix of a subnet read from the chain now (the head, or `block` from the archive endpoint), with agreement figures. */
  'bittensor.weights': { params: { netuid: number; block?: number }; result: WeightsMatrix };
}

export const BITTENSOR_METHODS: readonly (keyof BittensorMethods & string)[] = [
  'bittensor.subnets', 'bittensor.snapshot', 'bittensor.metagraph', 'bittensor.neurons', 'bittensor.hotkeys', 'bittensor.churn', 'bittensor.groups',
  'bittensor.backfill', 'bittensor.cancelBackfill', 'bittensor.status', 'bittensor.weights',
];

export type BittensorNotification =
  | { readonly topic: 'bittensor.changed'; readonly payload: { netuids: number[] } }
  | { readonly topic: 'bittensor.alert'; readonly payload: HotkeyAlert }
  | { readonly topic: 'bittensor.backfillProgress'; readonly payload: { netuid: number; done: number; total: number; block: number } }
  | { readonly topic: 'bittensor.chainStatus'; readonly payload: ChainStatusPayload };
