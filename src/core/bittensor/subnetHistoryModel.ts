import type { NeuronRow, Occupancy } from './model';

/**
 * What the subnet dashboard asks of the stored history (issue 13): each answer is bounded (a page of points, a
 * capped number of series) and built from raw snapshots inside the raw window and from daily rollups beyond it.
 * Figures are scaled like NeuronRow's; `time` is unix seconds of the block.
 */

/** A block range; an end left out is open. */
export interface BlockRange {
  readonly fromBlock?: number;
  readonly toBlock?: number;
}

/** What a client asks for: blocks, or times (unix seconds) of stored snapshots, or both (the narrower end wins). */
export interface HistoryRange extends BlockRange {
  readonly fromTime?: number;
  readonly toTime?: number;
}

export interface SubnetOverview {
  readonly netuid: number;
  readonly name: string;
  readonly symbol: string | null;
  /** The chain's head when the engine knows it (a connected collector, or read on request); null otherwise. */
  readonly headBlock: number | null;
  readonly newestBlock: number;
  readonly newestTime: number;
  /** headBlock − newestBlock; null without a head. */
  readonly blocksBehind: number | null;
  /** blocksBehind ≥ STALE_AFTER_BLOCKS: "Out of date (N blocks)". */
  readonly stale: boolean;
  readonly burnTao: number | null;
  readonly burnChange24hTao: number | null;
  readonly n: number;
  readonly validators: number;
  readonly miners: number;
  /** Against the newest snapshot at least 7,200 blocks older; null without one. */
  readonly validatorsChange24h: number | null;
  readonly minersChange24h: number | null;
  /** The block the 24 h changes compare with. */
  readonly comparedBlock: number | null;
  /** Sum of every UID's emission per tempo, alpha units. */
  readonly emissionPerTempo: number;
  readonly priceTao: number | null;
  readonly movingPriceTao: number | null;
  readonly tempo: number | null;
  readonly occupancy: Occupancy;
  /** Stored snapshot headers of the subnet: all of them, and those still complete (inside the raw window). */
  readonly snapshots: { readonly stored: number; readonly complete: number; readonly oldestBlock: number };
}

/** Churn of one complete snapshot against the complete snapshot before it. */
export interface ChurnPoint {
  readonly block: number;
  readonly time: number;
  readonly previousBlock: number;
  readonly added: number;
  readonly removed: number;
  /** UIDs whose hotkey was replaced. */
  readonly changed: number;
}

/** Slots used at a stored snapshot (its header outlives its rows, so this reaches the whole history). */
export interface SlotsPoint {
  readonly block: number;
  readonly time: number;
  readonly n: number;
  readonly occupancy: Occupancy;
}

/** (UID, hotkey) pairs first seen that day, the subnet's first stored day excluded (their registration was earlier). */
export interface RegistrationDay {
  /** Unix day (block time / 86,400). */
  readonly day: number;
  readonly registrations: number;
}

export interface ChurnHistory {
  readonly netuid: number;
  /** The newest `limit` churn points of the range, oldest first; `churnTruncated` when older ones were left out. */
  readonly churn: readonly ChurnPoint[];
  readonly churnTruncated: boolean;
  /** At most `limit` points spread evenly over the range (every k-th snapshot), oldest first. */
  readonly slots: readonly SlotsPoint[];
  readonly registrationsPerDay: readonly RegistrationDay[];
}

export type GroupBy = 'coldkey' | 'ip';

/** One coldkey's or axon IP's hotkeys in one snapshot. */
export interface GroupRow {
  readonly key: string;
  /** The coldkey's identity name (coldkey groups only). */
  readonly name?: string;
  readonly hotkeys: number;
  readonly validators: number;
  readonly stake: number;
  readonly emission: number;
}

export interface GroupsTable {
  readonly netuid: number;
  readonly by: GroupBy;
  readonly block: number;
  /** Groups in the snapshot, largest first. */
  readonly total: number;
  readonly groups: readonly GroupRow[];
}

export interface GroupSeriesPoint {
  readonly block: number;
  readonly time: number;
  /** A daily rollup ((UID, hotkey) pairs the group held that day) rather than a raw snapshot. */
  readonly daily: boolean;
  /** Hotkeys in each group of `keys`, in that order. */
  readonly counts: readonly number[];
}

export interface GroupSeries {
  readonly netuid: number;
  readonly by: GroupBy;
  readonly keys: readonly { readonly key: string; readonly name?: string }[];
  readonly points: readonly GroupSeriesPoint[];
}

export interface GroupMembers {
  readonly netuid: number;
  readonly by: GroupBy;
  readonly key: string;
  readonly block: number;
  readonly rows: readonly NeuronRow[];
}

export const TRACE_FIELDS = ['stake', 'incentive', 'dividends', 'emission', 'trust', 'consensus'] as const;
export type TraceField = (typeof TRACE_FIELDS)[number];

/** Whose traces: named hotkeys (wherever they sat), named UIDs (whichever hotkey held them), or the top N by the field. */
export type TraceSelection =
  | { readonly hotkeys: readonly string[] }
  | { readonly uids: readonly number[] }
  | { readonly top: number };

export interface TracePoint {
  readonly block: number;
  readonly time: number;
  /** null where the rollup has no such figure (consensus on days rolled up before it was kept). */
  readonly value: number | null;
  /** The day's mean (stake: its last value) from the rollups, not a raw snapshot; `time` is the day's start. */
  readonly daily: boolean;
}

export interface TraceSeries {
  /** The hotkey, or `uid:N` for a UID selection. */
  readonly key: string;
  /** The newest hotkey and coldkey of the series (for colouring by coldkey). */
  readonly hotkey: string | null;
  readonly coldkey: string | null;
  readonly uid: number | null;
  readonly points: readonly TracePoint[];
}

export interface Traces {
  readonly netuid: number;
  readonly field: TraceField;
  /** The first raw (complete) snapshot in the range: points before it are daily. null when there is none. */
  readonly rawFromBlock: number | null;
  readonly series: readonly TraceSeries[];
}

export type AnimationRole = 'miners' | 'validators';

/** One snapshot as a scatter: parallel arrays, one entry per UID of the role; keys index `hotkeys` / `coldkeys`. */
export interface AnimationFrame {
  readonly block: number;
  readonly time: number;
  readonly uids: readonly number[];
  readonly hotkeys: readonly number[];
  readonly coldkeys: readonly number[];
  readonly stake: readonly number[];
  readonly incentive: readonly number[];
  readonly dividends: readonly number[];
}

export interface AnimationFrames {
  readonly netuid: number;
  readonly role: AnimationRole;
  /** Complete snapshots in the range; this page is frames offset … offset + frames.length − 1, oldest first. */
  readonly total: number;
  readonly offset: number;
  readonly hotkeys: readonly string[];
  readonly coldkeys: readonly string[];
  readonly frames: readonly AnimationFrame[];
}

export const DIFF_FIELDS = ['stake', 'rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'emission'] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

/** How a UID differs from the previous snapshot. */
export interface UidDiff {
  readonly uid: number;
  /** registered: the UID was empty; replaced: another hotkey holds it; deregistered: empty now; changed: same hotkey. */
  readonly kind: 'registered' | 'replaced' | 'deregistered' | 'changed';
  readonly hotkey: string | null;
  readonly previousHotkey: string | null;
  /** Numeric fields that moved, as [before, after] (both sides of a replaced UID). */
  readonly changes: Partial<Record<DiffField, readonly [number, number]>>;
  readonly permit?: readonly [boolean, boolean];
  readonly axon?: readonly [string | null, string | null];
}

export interface MetagraphDiff {
  readonly netuid: number;
  readonly block: number;
  /** The complete snapshot before `block`; null when there is none (then `rows` is empty). */
  readonly previousBlock: number | null;
  /** UIDs that differ, by UID. */
  readonly rows: readonly UidDiff[];
}
