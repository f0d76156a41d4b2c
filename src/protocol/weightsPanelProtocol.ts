import type { WeightsMatrix } from './bittensorProtocol';
import type { PanelProtocol } from './webviewPanelProtocol';

/**
 * Messages between the Weights panel (src/panels/weightsPanel.ts) and its webview (webview/weights), inside the panel
 * envelope (webviewPanelProtocol.ts). Shared by both sides; no vscode and no DOM here. When the page says ready, the
 * host answers with `loading` while the engine reads the chain (seconds), then `matrix` or `error`; a page that
 * loads again gets the last of these replayed. `refresh` reads the chain again.
 */
export type ToWeights =
  | { readonly type: 'loading'; readonly netuid: number }
  /** `readAt`: when the engine answered (ms since the epoch); a re-shown webview gets the same answer again. */
  | { readonly type: 'matrix'; readonly matrix: WeightsMatrix; readonly readAt: number }
  | { readonly type: 'error'; readonly netuid: number; readonly message: string };

export type FromWeights = { readonly type: 'refresh' };

export function isFromWeights(value: unknown): value is FromWeights {
  if (!isRecord(value)) return false;
  return value.type === 'refresh';
}

export function isToWeights(value: unknown): value is ToWeights {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'loading':
      return isUid(value.netuid);
    case 'error':
      return isUid(value.netuid) && typeof value.message === 'string';
    case 'matrix':
      return isFiniteNumber(value.readAt) && isWeightsMatrix(value.matrix);
    default:
      return false;
  }
}

export const weightsProtocol: PanelProtocol<ToWeights, FromWeights> = {
  toWebview: isToWeights,
  fromWebview: isFromWeights,
  requests: {},
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
