import type {
  AnimationFrames, AnimationRole, ChurnHistory, GroupBy, GroupMembers, GroupSeries, GroupsTable, MetagraphDiff, MetagraphSnapshot, NeuronRow, SubnetOverview,
  TraceField, Traces,
} from './bittensorProtocol';
import { isRecord, type PanelProtocol, type RequestSpec } from './webviewPanelProtocol';

/**
 * Messages between the Subnet panel (src/panels/subnetPanel.ts) and its webview (webview/subnet), inside the panel
 * envelope (webviewPanelProtocol.ts). No vscode and no DOM here.
 *
 * The overview is the panel's state (replayed to each page that loads, read again on `bittensor.changed`); every
 * other section asks for its data with a request when it is shown. Requests name no netuid: the panel's subject is
 * the only subnet it reads, so a page cannot make the host read another.
 */

export type ExportFormat = 'csv' | 'json';

export type ToSubnet =
  | { readonly type: 'loading'; readonly netuid: number }
  /** `readAt`: when the engine answered (ms since the epoch). null overview: nothing stored for the subnet yet. */
  | { readonly type: 'overview'; readonly netuid: number; readonly overview: SubnetOverview | null; readonly readAt: number }
  | { readonly type: 'error'; readonly netuid: number; readonly message: string }
  /** A snapshot is being taken now (Update). */
  | { readonly type: 'updating' }
  /** The outcome of something the page asked for (update, export), for its status line. */
  | { readonly type: 'notice'; readonly message: string }
  /** A backfill of this subnet is running: `done` of `total` snapshots read, the last at `block` (null before the first). */
  | { readonly type: 'backfillProgress'; readonly done: number; readonly total: number; readonly block: number | null }
  /** The backfill ended: every snapshot read, cancelled, or failed (`message` says how many were stored, or why). */
  | { readonly type: 'backfillEnded'; readonly outcome: BackfillOutcome; readonly message: string };

export type FromSubnet =
  | { readonly type: 'refresh' }
  /** Take a snapshot of the head now. */
  | { readonly type: 'update' }
  /** Save the stored snapshot at `block` (every column) through a save dialog. */
  | { readonly type: 'export'; readonly block: number; readonly format: ExportFormat }
  /** Read and store snapshots of past blocks from the archive endpoint: fromBlock, fromBlock + step, …, toBlock. */
  | { readonly type: 'backfill'; readonly fromBlock: number; readonly toBlock: number; readonly step: number }
  | { readonly type: 'cancelBackfill' };

export type BackfillOutcome = 'done' | 'cancelled' | 'failed';

/** A range by block, or by time (unix seconds of the stored snapshots), or both; an end left out is open. */
export interface RangeParams {
  readonly fromBlock?: number;
  readonly toBlock?: number;
  readonly fromTime?: number;
  readonly toTime?: number;
}

/** Each hotkey's axon IP (null: no axon served) in the stored snapshot at a block or the newest before it. */
export interface HotkeyIps {
  readonly block: number;
  readonly ips: readonly (readonly [hotkey: string, ip: string | null])[];
}

export const MAX_TOP = 50;

export interface SubnetRequests {
  readonly traces: RequestSpec<RangeParams & { readonly field: TraceField; readonly top: number }, Traces>;
  readonly groups: RequestSpec<{ readonly by: GroupBy; readonly limit: number }, (GroupsTable & { readonly history: readonly unknown[] }) | null>;
  readonly groupSeries: RequestSpec<RangeParams & { readonly by: GroupBy; readonly top: number }, GroupSeries | null>;
  readonly groupMembers: RequestSpec<{ readonly by: GroupBy; readonly key: string }, GroupMembers | null>;
  readonly metagraph: RequestSpec<{ readonly block?: number }, MetagraphSnapshot | null>;
  readonly metagraphDiff: RequestSpec<{ readonly block?: number }, MetagraphDiff | null>;
  readonly churnHistory: RequestSpec<RangeParams, ChurnHistory>;
  /** A page of animation frames (one per complete snapshot of the range). */
  readonly frames: RequestSpec<RangeParams & { readonly role: AnimationRole; readonly offset: number; readonly limit: number }, AnimationFrames>;
  /** For colouring by IP. */
  readonly hotkeyIps: RequestSpec<{ readonly block?: number }, HotkeyIps | null>;
}

/** Frames per page: 64 frames of 1,024 UIDs are about a megabyte of JSON. */
export const MAX_FRAMES_PAGE = 64;

const TRACE_FIELD_NAMES: readonly string[] = ['stake', 'incentive', 'dividends', 'emission', 'trust', 'consensus'];

export function isNetuid(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 65_535;
}

function isBlock(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNullableNumber(value: unknown): boolean {
  return value === null || isNumber(value);
}

function isOptionalBlock(value: unknown): boolean {
  return value === undefined || isBlock(value);
}

function isRange(value: Record<string, unknown>): boolean {
  return isOptionalBlock(value.fromBlock) && isOptionalBlock(value.toBlock) && isOptionalBlock(value.fromTime) && isOptionalBlock(value.toTime);
}

function isTop(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TOP;
}

function isGroupBy(value: unknown): value is GroupBy {
  return value === 'coldkey' || value === 'ip';
}

function isOccupancy(value: unknown): boolean {
  const slot = (side: unknown) => isRecord(side) && isNumber(side.used) && isNullableNumber(side.max);
  return isRecord(value) && slot(value.validators) && slot(value.miners);
}

export function isSubnetOverview(value: unknown): value is SubnetOverview {
  if (!isRecord(value)) return false;
  return isNetuid(value.netuid) && typeof value.name === 'string' && (value.symbol === null || typeof value.symbol === 'string')
    && isNullableNumber(value.headBlock) && isBlock(value.newestBlock) && isNumber(value.newestTime) && isNullableNumber(value.blocksBehind)
    && typeof value.stale === 'boolean' && isNullableNumber(value.burnTao) && isNullableNumber(value.burnChange24hTao)
    && isNumber(value.n) && isNumber(value.validators) && isNumber(value.miners)
    && isNullableNumber(value.validatorsChange24h) && isNullableNumber(value.minersChange24h) && isNullableNumber(value.comparedBlock)
    && isNumber(value.emissionPerTempo) && isNullableNumber(value.priceTao) && isNullableNumber(value.movingPriceTao)
    && isNullableNumber(value.tempo) && isOccupancy(value.occupancy)
    && isRecord(value.snapshots) && isNumber(value.snapshots.stored) && isNumber(value.snapshots.complete);
}

const NEURON_NUMBERS = ['uid', 'stake', 'stakeAlpha', 'stakeTao', 'rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'emission', 'lastUpdate'] as const;

/** Every column the block table draws is checked: a malformed row is refused, never half drawn. */
export function isNeuronRow(value: unknown): value is NeuronRow {
  if (!isRecord(value)) return false;
  if (!NEURON_NUMBERS.every((field) => isNumber(value[field]))) return false;
  const axon = value.axon;
  return typeof value.hotkey === 'string' && typeof value.coldkey === 'string' && typeof value.active === 'boolean'
    && typeof value.validatorPermit === 'boolean' && isNullableNumber(value.registrationBlock)
    && (value.identity === undefined || typeof value.identity === 'string')
    && (axon === null || (isRecord(axon) && typeof axon.ip === 'string' && isNumber(axon.port) && isNumber(axon.ipType) && isNumber(axon.version)));
}

function isSnapshot(value: unknown): value is MetagraphSnapshot {
  return isRecord(value) && isNetuid(value.netuid) && isBlock(value.block) && Array.isArray(value.neurons) && value.neurons.every(isNeuronRow);
}

function isTraces(value: unknown): value is Traces {
  if (!isRecord(value) || !Array.isArray(value.series)) return false;
  return value.series.every((series) => isRecord(series) && typeof series.key === 'string'
    && (series.coldkey === null || typeof series.coldkey === 'string') && (series.hotkey === null || typeof series.hotkey === 'string')
    && Array.isArray(series.points) && series.points.every((point) => isRecord(point) && isBlock(point.block) && isNullableNumber(point.value)));
}

function isGroupRow(value: unknown): boolean {
  return isRecord(value) && typeof value.key === 'string' && (value.name === undefined || typeof value.name === 'string')
    && isNumber(value.hotkeys) && isNumber(value.validators) && isNumber(value.stake) && isNumber(value.emission);
}

function isGroupsTable(value: unknown): boolean {
  return value === null || (isRecord(value) && isBlock(value.block) && isNumber(value.total) && Array.isArray(value.groups) && value.groups.every(isGroupRow));
}

function isGroupSeries(value: unknown): boolean {
  if (value === null) return true;
  if (!isRecord(value) || !Array.isArray(value.keys) || !Array.isArray(value.points)) return false;
  const width = value.keys.length;
  return value.keys.every((key) => isRecord(key) && typeof key.key === 'string' && (key.name === undefined || typeof key.name === 'string'))
    && value.points.every((point) => isRecord(point) && isBlock(point.block) && Array.isArray(point.counts) && point.counts.length === width && point.counts.every(isNumber));
}

function isGroupMembers(value: unknown): boolean {
  return value === null || (isRecord(value) && typeof value.key === 'string' && isBlock(value.block) && Array.isArray(value.rows) && value.rows.every(isNeuronRow));
}

const DIFF_KINDS = ['registered', 'replaced', 'deregistered', 'changed'];

function isDiff(value: unknown): boolean {
  if (value === null) return true;
  if (!isRecord(value) || !isBlock(value.block) || !(value.previousBlock === null || isBlock(value.previousBlock)) || !Array.isArray(value.rows)) return false;
  return value.rows.every((row) => isRecord(row) && isBlock(row.uid) && DIFF_KINDS.includes(row.kind as string)
    && (row.hotkey === null || typeof row.hotkey === 'string') && (row.previousHotkey === null || typeof row.previousHotkey === 'string')
    && isRecord(row.changes) && Object.values(row.changes).every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isNumber)));
}

function isChurnHistory(value: unknown): boolean {
  if (!isRecord(value) || !Array.isArray(value.churn) || !Array.isArray(value.slots) || !Array.isArray(value.registrationsPerDay)) return false;
  return value.churn.every((point) => isRecord(point) && isBlock(point.block) && isNumber(point.added) && isNumber(point.removed) && isNumber(point.changed))
    && value.slots.every((point) => isRecord(point) && isBlock(point.block) && isNumber(point.n) && isOccupancy(point.occupancy))
    && value.registrationsPerDay.every((day) => isRecord(day) && isNumber(day.day) && isNumber(day.registrations));
}

function isHotkeyIps(value: unknown): boolean {
  return value === null || (isRecord(value) && isBlock(value.block) && Array.isArray(value.ips)
    && value.ips.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && (pair[1] === null || typeof pair[1] === 'string')));
}

function isNumbers(value: unknown, length: number): boolean {
  return Array.isArray(value) && value.length === length && value.every(isNumber);
}

/** The page indexes the key lists with each frame's numbers: every index is checked to be inside them. */
function isFrames(value: unknown): boolean {
  if (!isRecord(value) || !isNumber(value.total) || !isNumber(value.offset) || !Array.isArray(value.frames)) return false;
  const { hotkeys, coldkeys } = value;
  if (!Array.isArray(hotkeys) || !hotkeys.every((key) => typeof key === 'string') || !Array.isArray(coldkeys) || !coldkeys.every((key) => typeof key === 'string')) return false;
  const inside = (indexes: unknown, size: number) => Array.isArray(indexes) && indexes.every((i) => Number.isSafeInteger(i) && i >= 0 && i < size);
  return value.frames.every((frame) => {
    if (!isRecord(frame) || !isBlock(frame.block) || !Array.isArray(frame.uids)) return false;
    const n = frame.uids.length;
    return isNumbers(frame.uids, n) && isNumbers(frame.stake, n) && isNumbers(frame.incentive, n) && isNumbers(frame.dividends, n)
      && inside(frame.hotkeys, hotkeys.length) && (frame.hotkeys as unknown[]).length === n
      && inside(frame.coldkeys, coldkeys.length) && (frame.coldkeys as unknown[]).length === n;
  });
}

export function isFromSubnet(value: unknown): value is FromSubnet {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'refresh':
    case 'update':
      return true;
    case 'export':
      return isBlock(value.block) && (value.format === 'csv' || value.format === 'json');
    case 'backfill':
      return isBlock(value.fromBlock) && isBlock(value.toBlock) && isBlock(value.step);
    case 'cancelBackfill':
      return true;
    default:
      return false;
  }
}

export function isToSubnet(value: unknown): value is ToSubnet {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'loading':
      return isNetuid(value.netuid);
    case 'overview':
      return isNetuid(value.netuid) && isNumber(value.readAt) && (value.overview === null || isSubnetOverview(value.overview));
    case 'error':
      return isNetuid(value.netuid) && typeof value.message === 'string';
    case 'updating':
      return true;
    case 'notice':
      return typeof value.message === 'string';
    case 'backfillProgress':
      return isBlock(value.done) && isBlock(value.total) && (value.block === null || isBlock(value.block));
    case 'backfillEnded':
      return (value.outcome === 'done' || value.outcome === 'cancelled' || value.outcome === 'failed') && typeof value.message === 'string';
    default:
      return false;
  }
}

const requests: SubnetRequests = {
  traces: {
    params: (p): p is RangeParams & { field: TraceField; top: number } => isRecord(p) && isRange(p) && TRACE_FIELD_NAMES.includes(p.field as string) && isTop(p.top),
    result: isTraces,
  },
  groups: {
    params: (p): p is { by: GroupBy; limit: number } => isRecord(p) && isGroupBy(p.by) && isTop(p.limit),
    result: (r): r is (GroupsTable & { history: unknown[] }) | null => isGroupsTable(r),
  },
  groupSeries: {
    params: (p): p is RangeParams & { by: GroupBy; top: number } => isRecord(p) && isRange(p) && isGroupBy(p.by) && isTop(p.top),
    result: (r): r is GroupSeries | null => isGroupSeries(r),
  },
  groupMembers: {
    params: (p): p is { by: GroupBy; key: string } => isRecord(p) && isGroupBy(p.by) && typeof p.key === 'string' && p.key.length <= 200,
    result: (r): r is GroupMembers | null => isGroupMembers(r),
  },
  metagraph: {
    params: (p): p is { block?: number } => isRecord(p) && isOptionalBlock(p.block),
    result: (r): r is MetagraphSnapshot | null => r === null || isSnapshot(r),
  },
  metagraphDiff: {
    params: (p): p is { block?: number } => isRecord(p) && isOptionalBlock(p.block),
    result: (r): r is MetagraphDiff | null => isDiff(r),
  },
  churnHistory: {
    params: (p): p is RangeParams => isRecord(p) && isRange(p),
    result: (r): r is ChurnHistory => isChurnHistory(r),
  },
  frames: {
    params: (p): p is RangeParams & { role: AnimationRole; offset: number; limit: number } => isRecord(p) && isRange(p)
      && (p.role === 'miners' || p.role === 'validators') && isBlock(p.offset) && Number.isSafeInteger(p.limit) && (p.limit as number) >= 1 && (p.limit as number) <= MAX_FRAMES_PAGE,
    result: (r): r is AnimationFrames => isFrames(r),
  },
  hotkeyIps: {
    params: (p): p is { block?: number } => isRecord(p) && isOptionalBlock(p.block),
    result: (r): r is HotkeyIps | null => isHotkeyIps(r),
  },
};

export const subnetProtocol: PanelProtocol<ToSubnet, FromSubnet, SubnetRequests> = {
  toWebview: isToSubnet,
  fromWebview: isFromSubnet,
  requests,
};
