import type { StakeCorrelation, ValidatorWeightsHistory, WeightsMatrix, WeightsView } from './bittensorProtocol';
import type { PanelProtocol, RequestSpec } from './webviewPanelProtocol';

/**
 * Messages between the Weights panel (src/panels/weightsPanel.ts) and its webview (webview/weights), inside the panel
 * envelope (webviewPanelProtocol.ts). Shared by both sides; no vscode and no DOM here. When the page says ready, the
 * host answers with `loading` while the engine reads the chain (seconds), then `matrix` or `error`; a page that
 * loads again gets the last of these replayed. `refresh` reads the chain again at the block shown; `pick` reads
 * another block (a stored snapshot's, or any block the archive endpoint serves; none: the head). The sections below
 * the matrix ask for their data by request.
 */
export type ToWeights =
  /** `block`: the block being read; absent for the head. */
  | { readonly type: 'loading'; readonly netuid: number; readonly block?: number }
  /** `readAt`: when the engine answered (ms since the epoch); a re-shown webview gets the same answer again. */
  | { readonly type: 'matrix'; readonly matrix: WeightsView; readonly readAt: number }
  | { readonly type: 'error'; readonly netuid: number; readonly message: string; readonly block?: number };

export type FromWeights = { readonly type: 'refresh' } | { readonly type: 'pick'; readonly block?: number };

export function isFromWeights(value: unknown): value is FromWeights {
  if (!isRecord(value)) return false;
  if (value.type === 'pick') return value.block === undefined || isUid(value.block);
  return value.type === 'refresh';
}

export function isToWeights(value: unknown): value is ToWeights {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'loading':
      return isUid(value.netuid) && (value.block === undefined || isUid(value.block));
    case 'error':
      return isUid(value.netuid) && typeof value.message === 'string' && (value.block === undefined || isUid(value.block));
    case 'matrix':
      return isFiniteNumber(value.readAt) && isWeightsMatrix(value.matrix) && isStructure((value.matrix as unknown as Record<string, unknown>).structure, value.matrix.agreement.uids);
    default:
      return false;
  }
}

/** Hotkeys are ss58 text; a bound keeps a hostile page from asking the engine about megabytes of them. */
const MAX_HOTKEY_LENGTH = 64;
export const MAX_CORRELATED_HOTKEYS = 16;

export interface WeightsRequests {
  /** The stored snapshot blocks of the panel's subnet, newest first. */
  readonly blocks: RequestSpec<Record<string, never>, readonly { readonly block: number; readonly time: number }[]>;
  /** A validator's weights at stored snapshot blocks, over its `top` targets. */
  readonly validatorHistory: RequestSpec<{ readonly hotkey: string; readonly top: number; readonly maxPoints: number }, ValidatorWeightsHistory>;
  /** The correlation of the stake series of these hotkeys. */
  readonly stakeCorrelation: RequestSpec<{ readonly hotkeys: readonly string[] }, StakeCorrelation>;
}

const requests: WeightsRequests = {
  blocks: {
    params: (p): p is Record<string, never> => isRecord(p),
    result: (r): r is { block: number; time: number }[] => Array.isArray(r) && r.every((e) => isRecord(e) && isUid(e.block) && isFiniteNumber(e.time)),
  },
  validatorHistory: {
    params: (p): p is { hotkey: string; top: number; maxPoints: number } =>
      isRecord(p) && isHotkey(p.hotkey) && isCount(p.top, 32) && isCount(p.maxPoints, 64),
    result: isValidatorHistory,
  },
  stakeCorrelation: {
    params: (p): p is { hotkeys: string[] } =>
      isRecord(p) && Array.isArray(p.hotkeys) && p.hotkeys.length >= 1 && p.hotkeys.length <= MAX_CORRELATED_HOTKEYS && p.hotkeys.every(isHotkey),
    result: isStakeCorrelation,
  },
};

export const weightsProtocol: PanelProtocol<ToWeights, FromWeights, WeightsRequests> = {
  toWebview: isToWeights,
  fromWebview: isFromWeights,
  requests,
};

/**
 * The webview indexes arrays by these numbers and draws every cell, so the whole matrix is checked once on arrival
 * (64 × 1,024 weights take about a millisecond): a malformed one is refused, never half drawn.
 */
export function isWeightsMatrix(value: unknown): value is WeightsMatrix {
  if (!isRecord(value)) return false;
  if (!isUid(value.netuid) || !isUid(value.block)) return false;
  if (!Array.isArray(value.targets) || !value.targets.every(isUid) || !ascending(value.targets)) return false;
  if (!Array.isArray(value.rows) || !value.rows.every(isWeightRow)) return false;
  return isAgreement(value.agreement);
}

function isWeightRow(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return isUid(value.uid)
    && (value.hotkey === null || typeof value.hotkey === 'string')
    && (value.stake === null || isFiniteNumber(value.stake))
    && (value.validatorPermit === null || typeof value.validatorPermit === 'boolean')
    && (value.lastUpdate === null || isUid(value.lastUpdate))
    && Array.isArray(value.weights)
    && value.weights.every((pair) => Array.isArray(pair) && pair.length === 2 && isUid(pair[0]) && isFraction(pair[1]));
}

function isAgreement(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { uids, cosine, withConsensus, nearDuplicates } = value;
  if (!Array.isArray(uids) || !uids.every(isUid)) return false;
  if (!Array.isArray(cosine) || cosine.length !== uids.length * uids.length || !cosine.every(isCosine)) return false;
  if (!Array.isArray(withConsensus) || !withConsensus.every((entry) => isRecord(entry) && isUid(entry.uid) && isCosine(entry.cosine))) return false;
  return Array.isArray(nearDuplicates)
    && nearDuplicates.every((pair) => isRecord(pair) && isUid(pair.a) && isUid(pair.b) && isCosine(pair.cosine));
}

/** Clusters, map and names: every UID one of the agreement's, every point finite, so the page can index by them. */
function isStructure(value: unknown, uids: readonly number[]): boolean {
  if (!isRecord(value) || !isRecord(value.clusters) || !isRecord(value.embedding) || !Array.isArray(value.identities)) return false;
  const known = new Set(uids);
  const { clusters, embedding } = value;
  if (!isFiniteNumber(clusters.threshold) || !Array.isArray(clusters.clusters)) return false;
  if (!clusters.clusters.every((c) => isRecord(c) && Array.isArray(c.uids) && c.uids.length > 0 && c.uids.every((uid) => known.has(uid as number)) && isCosine(c.meanCosine))) return false;
  if (!Array.isArray(embedding.uids) || embedding.uids.length !== uids.length || !embedding.uids.every((uid, i) => uid === uids[i])) return false;
  if (!Array.isArray(embedding.points) || embedding.points.length !== uids.length) return false;
  if (!embedding.points.every((p) => Array.isArray(p) && p.length === 2 && p.every(isFiniteNumber))) return false;
  if (!Array.isArray(embedding.explained) || embedding.explained.length !== 2 || !embedding.explained.every(isFiniteNumber)) return false;
  return value.identities.every((e) => isRecord(e) && isUid(e.uid) && typeof e.name === 'string');
}

function isValidatorHistory(value: unknown): value is ValidatorWeightsHistory {
  if (!isRecord(value) || !isUid(value.netuid) || typeof value.hotkey !== 'string') return false;
  if (!Array.isArray(value.targets) || !value.targets.every(isUid) || !Array.isArray(value.points)) return false;
  const width = value.targets.length;
  return value.points.every((p) => isRecord(p) && isUid(p.block) && (p.uid === null || isUid(p.uid)) && isFraction(p.rest)
    && Array.isArray(p.weights) && p.weights.length === width && p.weights.every(isFraction));
}

function isStakeCorrelation(value: unknown): value is StakeCorrelation {
  if (!isRecord(value) || !isUid(value.netuid) || !Array.isArray(value.series)) return false;
  if (!value.series.every((s) => isRecord(s) && typeof s.key === 'string' && (s.hotkey === null || typeof s.hotkey === 'string') && (s.uid === null || isUid(s.uid)))) return false;
  const cells = value.series.length ** 2;
  return Array.isArray(value.coefficients) && value.coefficients.length === cells && value.coefficients.every((r) => r === null || isCosine(r))
    && Array.isArray(value.aligned) && value.aligned.length === cells && value.aligned.every(isUid);
}

function isHotkey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_HOTKEY_LENGTH;
}

function isCount(value: unknown, max: number): value is number {
  return isUid(value) && value >= 1 && value <= max;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** UIDs, netuids and blocks: non-negative integers. */
function isUid(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A normalised weight (rows sum to 1, give or take float rounding). */
function isFraction(value: unknown): boolean {
  return isFiniteNumber(value) && value >= 0 && value <= 1 + 1e-9;
}

/** Cosine similarity; a tolerance for float rounding just past ±1. */
function isCosine(value: unknown): boolean {
  return isFiniteNumber(value) && value >= -1.000001 && value <= 1.000001;
}

function ascending(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] <= values[i - 1]) return false;
  return true;
}
