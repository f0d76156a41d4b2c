import type {
  Churn, GroupPoint, HotkeyAlert, MetagraphSnapshot, NeuronRow, SubnetSummary, WeightsMatrix,
} from '../core/bittensor/model';
import type { BackfillEnd } from '../core/bittensor/backfill';
import type { NeuronGroup, NeuronPage, NeuronSort } from '../core/bittensor/neuronPage';
import type { StakeCorrelation, ValidatorWeightsHistory, WeightsView } from '../core/bittensor/weightsModel';
import type {
  AnimationFrames, AnimationRole, ChurnHistory, GroupBy, GroupMembers, GroupSeries, GroupsTable, MetagraphDiff, SubnetOverview,
  TraceField, Traces, TraceSelection,
} from '../core/bittensor/subnetHistoryModel';

/**
 * Engine requests and notifications of the Bittensor half. Method names start with `bittensor.`.
 * Figures are scaled (scores 0–1, stake and emission in TAO / alpha units); blocks are block numbers.
 */
export type { BackfillEnd };
export type { Churn, GroupPoint, HotkeyAlert, MetagraphSnapshot, NeuronRow, SubnetSummary, WeightsMatrix };
export type {
  AnimationFrame, AnimationFrames, AnimationRole, BlockRange, HistoryRange, ChurnHistory, ChurnPoint, DiffField, GroupBy, GroupMembers, GroupRow,
  GroupSeries, GroupSeriesPoint, GroupsTable, MetagraphDiff, RegistrationDay, SlotsPoint, SubnetOverview, TraceField, TracePoint, Traces,
  TraceSelection, TraceSeries, UidDiff,
} from '../core/bittensor/subnetHistoryModel';
export type { ValidatorAgreement, WeightRow } from '../core/bittensor/model';
export type { StakeCorrelation, ValidatorWeightsHistory, WeightClusters, WeightEmbedding, WeightsStructure, WeightsView } from '../core/bittensor/weightsModel';
export type { AxonRow, Occupancy, AlertKind } from '../core/bittensor/model';

export interface ChainStatusPayload {
  readonly endpoint: string;
  readonly state: 'idle' | 'connecting' | 'connected' | 'retrying' | 'stopped';
  readonly headBlock: number | null;
  readonly specVersion: number | null;
  readonly lastError: string | null;
}

export type { NeuronGroup, NeuronPage, NeuronSort } from '../core/bittensor/neuronPage';

/**
 * How the newest attempt to read the chain's subnet list went, and what the store holds from other chains: what
 * the Subnets view says above its rows, so that a failed refresh or a changed chain is never silent.
 */
export interface SubnetListStatus {
  /** not-read: no attempt yet in this engine; partial: some subnet-list APIs answered; failed: none did. */
  readonly outcome: 'not-read' | 'complete' | 'partial' | 'failed';
  readonly endpoint: string | null;
  /** What was missing or failed (chain error text: untrusted). */
  readonly problems: readonly string[];
  /** Unix seconds of that attempt. */
  readonly at: number | null;
  /** The endpoint's chain (genesis hash), once connected. */
  readonly genesis: string | null;
  /** Subnets kept from other chains (other genesis hashes), not shown as current. */
  readonly otherChains: { readonly subnets: number; readonly genesis: readonly string[] };
}

/**
 * The history requests (groupSeries, churnHistory, traces, frames) take a range by block (`fromBlock`, `toBlock`)
 * or by time (`fromTime`, `toTime`, unix seconds of the stored snapshots), or both: the narrower end wins.
 */
export interface BittensorMethods {
  /** The subnet list: chain subnet-list APIs merged with stored snapshots; `refresh` reads the chain first. */
  'bittensor.subnets': { params: { refresh?: boolean }; result: SubnetSummary[] };
  /** How the newest subnet-list read went, and what is kept from other chains. */
  'bittensor.listStatus': { params: Record<string, never>; result: SubnetListStatus };
  /** Takes a snapshot from the chain (the head, or `block` from the archive endpoint), stores it and returns it. */
  'bittensor.snapshot': { params: { netuid: number; block?: number }; result: MetagraphSnapshot };
  /** A stored snapshot: at `block` or the newest before it; the newest without `block`. */
  'bittensor.metagraph': { params: { netuid: number; block?: number }; result: MetagraphSnapshot | null };
  /**
   * One page of the newest stored snapshot, sorted in the engine (the views never receive the whole metagraph):
   * validators by stake, or all UIDs by stake or incentive; `filter` keeps a UID or keys and names containing it.
   */
  'bittensor.neurons': {
    params: { netuid: number; group: NeuronGroup; sort: NeuronSort; limit: number; filter?: string };
    result: NeuronPage | null;
  };
  /** Where each hotkey is in the newest stored snapshot of every subnet that has one. */
  'bittensor.hotkeys': { params: { hotkeys: string[] }; result: { netuid: number; block: number; neuron: NeuronRow }[] };
  /** Churn between the two newest stored snapshots of a subnet. */
  'bittensor.churn': { params: { netuid: number }; result: Churn | null };
  /**
   * Hotkeys grouped by coldkey or axon IP in a stored snapshot (at `block` or the newest before it, or the newest of
   * a range; a page of the largest groups), with the grouping over the complete snapshots of the range up to it (at
   * most `historyLimit` points).
   */
  'bittensor.groups': {
    params: {
      netuid: number; by: GroupBy; block?: number; fromBlock?: number; toBlock?: number; fromTime?: number; toTime?: number;
      limit?: number; offset?: number; historyLimit?: number;
    };
    result: (GroupsTable & { history: GroupPoint[] }) | null;
  };
  /** Sizes of chosen groups (`keys`, else the `top` largest) over a block range: raw snapshots, and daily rollups before them (coldkeys and IPs). */
  'bittensor.groupSeries': {
    params: { netuid: number; by: GroupBy; keys?: string[]; top?: number; fromBlock?: number; toBlock?: number; fromTime?: number; toTime?: number; maxPoints?: number };
    result: GroupSeries | null;
  };
  /** The hotkeys of one group in a stored snapshot (at `block` or the newest before it). */
  'bittensor.groupMembers': { params: { netuid: number; by: GroupBy; key: string; block?: number }; result: GroupMembers | null };
  /**
   * The dashboard's first row: newest snapshot against the head (staleness) and a day earlier (24 h changes). The
   * head is the collector's; `readHead` asks the node for it first (the CLI, which does not collect). A range takes
   * the newest snapshot inside it and compares inside it.
   */
  'bittensor.overview': {
    params: { netuid: number; readHead?: boolean; fromBlock?: number; toBlock?: number; fromTime?: number; toTime?: number };
    result: SubnetOverview | null;
  };
  /** Churn per complete snapshot, slots used per stored snapshot, registrations per day, over a block range. */
  'bittensor.churnHistory': { params: { netuid: number; fromBlock?: number; toBlock?: number; fromTime?: number; toTime?: number; limit?: number }; result: ChurnHistory };
  /** One field over a block range for chosen hotkeys or UIDs or the top N: raw snapshots, and daily rollups before them. */
  'bittensor.traces': {
    params: { netuid: number; field: TraceField; select: TraceSelection; fromBlock?: number; toBlock?: number; fromTime?: number; toTime?: number; maxPoints?: number };
    result: Traces;
  };
  /** A page of animation frames (one per complete snapshot of the range) for miners or validators. */
  'bittensor.frames': {
    params: { netuid: number; role: AnimationRole; fromBlock?: number; toBlock?: number; fromTime?: number; toTime?: number; offset?: number; limit?: number };
    result: AnimationFrames;
  };
  /** How a stored snapshot (at `block` or the newest before it) differs from the complete snapshot before it. */
  'bittensor.metagraphDiff': { params: { netuid: number; block?: number }; result: MetagraphDiff | null };
  /** Snapshots of past blocks from the archive endpoint (fromBlock…toBlock every `step`), with progress notifications. */
  'bittensor.backfill': { params: { netuid: number; fromBlock: number; toBlock: number; step: number }; result: { snapshots: number } };
  'bittensor.cancelBackfill': { params: { netuid?: number }; result: { cancelled: number } };
  /** Whether a backfill of the subnet runs now (and how far), else how its last one ended (null: none since the engine started). */
  'bittensor.backfillStatus': { params: { netuid: number }; result: BackfillStatus };
  'bittensor.status': { params: Record<string, never>; result: ChainStatusPayload };
  /** The weights matrix of a subnet read from the chain now (the head, or `block` from the archive endpoint), with agreement, clusters and a 2-D map. */
  'bittensor.weights': { params: { netuid: number; block?: number }; result: WeightsView };
  /** The blocks of a subnet's complete stored snapshots, newest first (`time`: unix seconds). */
  'bittensor.snapshotBlocks': { params: { netuid: number; limit?: number }; result: { block: number; time: number }[] };
  /**
   * A validator's (hotkey's) weights at stored snapshot blocks of a range (at most `maxPoints`, spread evenly), each
   * read from the chain (archive endpoint), over the `top` targets it weighted most.
   */
  'bittensor.weightsHistory': {
    params: { netuid: number; hotkey: string; top?: number; maxPoints?: number; fromBlock?: number; toBlock?: number };
    result: ValidatorWeightsHistory;
  };
  /** Pearson correlation between the stake series of chosen hotkeys (or the top N by stake) over the snapshots they share. */
  'bittensor.stakeCorrelation': {
    params: { netuid: number; select: TraceSelection; fromBlock?: number; toBlock?: number; maxPoints?: number };
    result: StakeCorrelation;
  };
}

export type BackfillStatus =
  | { readonly running: true; readonly done: number; readonly total: number; readonly block: number | null }
  | { readonly running: false; readonly lastEnd: BackfillEnd | null };

export const BITTENSOR_METHODS: readonly (keyof BittensorMethods & string)[] = [
  'bittensor.subnets', 'bittensor.listStatus', 'bittensor.snapshot', 'bittensor.metagraph', 'bittensor.neurons', 'bittensor.hotkeys', 'bittensor.churn', 'bittensor.groups',
  'bittensor.groupSeries', 'bittensor.groupMembers', 'bittensor.overview', 'bittensor.churnHistory', 'bittensor.traces', 'bittensor.frames',
  'bittensor.metagraphDiff', 'bittensor.backfill', 'bittensor.cancelBackfill', 'bittensor.backfillStatus', 'bittensor.status', 'bittensor.weights',
  'bittensor.snapshotBlocks', 'bittensor.weightsHistory', 'bittensor.stakeCorrelation',
];

export type BittensorNotification =
  | { readonly topic: 'bittensor.changed'; readonly payload: { netuids: number[] } }
  | { readonly topic: 'bittensor.alert'; readonly payload: HotkeyAlert }
  | { readonly topic: 'bittensor.backfillProgress'; readonly payload: { netuid: number; done: number; total: number; block: number } }
  /** A backfill run ended (done, cancelled or failed), also when its request has timed out. */
  | { readonly topic: 'bittensor.backfillEnded'; readonly payload: BackfillEnd }
  | { readonly topic: 'bittensor.chainStatus'; readonly payload: ChainStatusPayload };
