import type { ChainScope } from './chainGenesisScope';
import type { GroupPoint, MetagraphSnapshot, SubnetFacts, SubnetSummary } from './model';
import type {
  AnimationFrames, AnimationRole, ChurnHistory, GroupBy, GroupSeries, GroupsTable, HistoryRange, SubnetOverview, TraceField, Traces,
  TraceSelection,
} from './subnetHistoryModel';

/**
 * The storage seam of the Bittensor half (issue 14): what the engine asks of a store, whichever database holds it
 * (the embedded sql.js file of one editor, or a team's PostgreSQL server). Every method is asynchronous because a
 * server answers over a socket; the embedded adapter answers at once. Both adapters return the same values for the
 * same snapshots: figures scaled as NeuronRow's (scores 0–1, stake and emission in TAO or alpha units), blocks as
 * block numbers, times as unix seconds, register costs in RAO where the name says so.
 *
 * Weights are not here: they are read from the chain on demand and never stored (a matrix is up to 256 × 1,024
 * pairs per block); the weights requests use the stored snapshots for their blocks, hotkeys and stake.
 */
export interface BittensorStore {
  readonly snapshots: SnapshotStore;
  readonly subnets: SubnetStore;
  readonly chain: ChainStore;
  readonly history: SubnetHistoryStore;
  readonly retention: BittensorRetentionStore;
}

/** A stored snapshot's header: which subnet and block, and whether its rows are all still there. */
export interface SnapshotInfo {
  /** The store's handle for the snapshot: pass it back to read it; meaningless across stores. */
  readonly id: number;
  readonly netuid: number;
  readonly block: number;
  /** Unix seconds of the block (estimated at 12 s a block from the head when it was read). */
  readonly blockTime: number;
  /** False once retention thinned it to its pinned hotkeys' rows (past the raw window). */
  readonly complete: boolean;
}

/**
 * Metagraph snapshots. `chain` keeps one chain's snapshots (another chain's at the same block is never the answer);
 * without it every chain's count.
 */
export interface SnapshotStore {
  /**
   * Stores a snapshot read from chain `genesis` (null: unknown), replacing that chain's snapshot at the same block
   * (another chain's stays), and rolls it into the chain's per-UID daily rollups. Resolves to its handle (SnapshotInfo.id).
   */
  save(snapshot: MetagraphSnapshot, times: { readonly takenAt: number; readonly blockTime: number }, genesis: string | null): Promise<number>;
  /** Headers of a subnet's snapshots, complete or thinned, newest first, at most `limit` (default 1,000). */
  list(netuid: number, limit?: number, chain?: ChainScope): Promise<SnapshotInfo[]>;
  /** The complete snapshot at `block`, else the newest complete one before it; the newest of all without a block. */
  find(netuid: number, block?: number, chain?: ChainScope): Promise<SnapshotInfo | undefined>;
  /** The two newest complete snapshots of a subnet, newest first (fewer when fewer are stored). */
  latestTwo(netuid: number, chain?: ChainScope): Promise<SnapshotInfo[]>;
  /** Subnets with at least one complete snapshot, of any chain, ascending. */
  netuids(): Promise<number[]>;
  /** The newest complete snapshot's block of a subnet; null without one. */
  latestBlock(netuid: number, chain?: ChainScope): Promise<number | null>;
  /** The subnet figures stored with a snapshot (name, tempo, slots, register cost and price in TAO). */
  facts(info: SnapshotInfo): Promise<SubnetFacts>;
  /** A snapshot read back, scaled, its neurons by UID; `hotkeys` keeps only those hotkeys' rows (alerts read the pinned ones). */
  read(info: SnapshotInfo, hotkeys?: readonly string[]): Promise<MetagraphSnapshot>;
}

/** A subnet as the chain's subnet-list runtime APIs describe it (before snapshots add permits and history). */
export interface SubnetListing {
  readonly netuid: number;
  readonly name: string;
  readonly tempo: number | null;
  readonly uids: number;
  readonly maxUids: number | null;
  readonly maxValidators: number | null;
  /** The register cost (Burn) in RAO. */
  readonly burnRao: number | null;
  readonly priceTao: number | null;
}

/** The chain's subnet list, and per-subnet figures over time (register cost, price, UIDs) for the 24 h changes. */
export interface SubnetStore {
  /** Replaces the stored list with chain `genesis`'s (null: unknown) as read at `block`; each entry is also a point. */
  replaceListing(listings: readonly SubnetListing[], block: number, genesis: string | null): Promise<void>;
  /** The stored list of the current chain (rows nobody attributed to a chain count as current), by netuid. */
  listing(): Promise<SubnetListing[]>;
  /** Register cost (RAO), price (TAO) and UIDs of a subnet at `block` on chain `genesis`; another chain's point at that block stays. */
  addPoint(netuid: number, block: number, burnRao: number | null, priceTao: number | null, uids: number | null, genesis: string | null): Promise<void>;
  /**
   * The Subnets view's rows on the current chain: the stored list completed and corrected by each subnet's newest
   * snapshot (permits counted rather than estimated), with the 24 h register-cost change (TAO) and staleness
   * against `headBlock` (null: unknown, never stale). `tracked` marks the subnets the user follows.
   */
  summaries(tracked: readonly number[], headBlock: number | null): Promise<SubnetSummary[]>;
}

/**
 * Which chain the stored rows came from, named by genesis hash (block 0). The views show the rows of the chain the
 * endpoint last connected to; other chains' rows are kept (switching back shows them again) but never shown as current.
 */
export interface ChainStore {
  /** The genesis hash of the endpoint's last connection; null before the first one (every row then counts as current). */
  current(): Promise<string | null>;
  /** The chain the history reads are about: the current one, or the unknown chain's rows before any endpoint answered. */
  scope(): Promise<ChainScope>;
  /**
   * Records that the endpoint is on chain `genesis`; rows not yet attributed to a chain go to the one current until
   * now (to this one when none was). `changed`: the chain differs from a previously known one, named by `previous`.
   */
  connectedTo(genesis: string): Promise<{ readonly changed: boolean; readonly previous: string | null }>;
  /** The newest complete snapshot's block of a subnet on the current chain, below `before` when given; null without one. */
  latestBlock(netuid: number, before?: number): Promise<number | null>;
  /** Subnets with a complete snapshot on the current chain, ascending. */
  netuids(): Promise<number[]>;
  /** What is kept from other chains and so not shown: how many subnets, and which chains' genesis hashes (sorted). */
  elsewhere(): Promise<{ readonly subnets: number; readonly chains: string[] }>;
}

/**
 * A subnet over time (issue 13's dashboards), always of the current chain. A range (blocks and/or unix-second times
 * of stored snapshots, the narrower end winning) is turned into blocks once per read. Each answer is bounded: a page
 * of points or a capped number of series, from raw snapshots inside the raw window and daily rollups beyond it.
 */
export interface SubnetHistoryStore {
  /** The overview as of the range's newest snapshot, compared inside the range; null without a complete snapshot. */
  overview(netuid: number, headBlock: number | null, range?: HistoryRange): Promise<SubnetOverview | null>;
  /**
   * The groups of the range's newest snapshot (or of the snapshot at `block`, or the newest before it), a page of the
   * largest, and the grouping over the range up to it (at most `historyLimit` points); null without such a snapshot.
   */
  groups(
    netuid: number,
    by: GroupBy,
    range: HistoryRange & { readonly block?: number },
    page: { readonly limit?: number; readonly offset?: number; readonly historyLimit?: number },
  ): Promise<(GroupsTable & { history: GroupPoint[] }) | null>;
  /** Sizes of chosen groups (`keys`, else the `top` largest in the newest snapshot) over the range; null without a snapshot to choose from. */
  groupSeries(
    netuid: number,
    by: GroupBy,
    choice: { readonly keys?: readonly string[]; readonly top?: number },
    range: HistoryRange,
    maxPoints?: number,
  ): Promise<GroupSeries | null>;
  /** Churn per complete snapshot, slots used per stored snapshot, registrations per day. */
  churn(netuid: number, range: HistoryRange, limit?: number): Promise<ChurnHistory>;
  /** One field over the range for chosen hotkeys or UIDs, or the top N in the newest snapshot. */
  traces(netuid: number, field: TraceField, selection: TraceSelection, range: HistoryRange, maxPoints?: number): Promise<Traces>;
  /** A page of animation frames, one per complete snapshot of the range, for miners or validators. */
  frames(netuid: number, role: AnimationRole, range: HistoryRange, page: { readonly offset?: number; readonly limit?: number }): Promise<AnimationFrames>;
}

/** DESIGN.md "Data kept": what retention keeps of the Bittensor rows. */
export interface RetentionPolicy {
  /** Unix seconds. */
  readonly now: number;
  /** Full snapshots are kept this long (by block time). */
  readonly rawWindowHours: number;
  /** Daily per-UID rollups are kept this long. */
  readonly historyDays: number;
  /** Hotkeys whose rows are kept in full throughout. */
  readonly pinnedHotkeys: readonly string[];
}

/** What one retention run removed. */
export interface RetentionResult {
  readonly neuronRows: number;
  readonly rollupRows: number;
  /** Snapshot headers removed (thinned snapshots past the history window with no rows left). */
  readonly snapshots: number;
}

/**
 * Ageing out: a snapshot past the raw window keeps its header and its pinned rows and is marked incomplete; the
 * newest snapshot of each subnet on each chain is never touched.
 */
export interface BittensorRetentionStore {
  apply(policy: RetentionPolicy): Promise<RetentionResult>;
  /** The size budget's share: thins the oldest complete snapshots until about `bytes` are freed; resolves to the rows removed. */
  evictOldest(bytes: number, pinnedHotkeys: readonly string[]): Promise<number>;
  /** Drops subnet points (register cost, price, UIDs) older than `beforeBlock`, keeping each subnet's newest per chain; resolves to the points removed. */
  prunePoints(beforeBlock: number): Promise<number>;
}
