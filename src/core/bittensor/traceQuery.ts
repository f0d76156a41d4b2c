import { RAO, U16 } from './historySql';
import type { TraceField } from './subnetHistoryModel';

/** Bounds of a traces request, the same on both stores. */
export const TRACE_SERIES_MAX = 64;
export const TRACE_POINTS_DEFAULT = 1_000;
export const TRACE_POINTS_MAX = 5_000;

/**
 * Per field: the raw column, its scale, and the daily rollup's figure (a day's mean from its sums; stake is a level,
 * so its day takes the last value, the bare column of the row with MAX(last_block)).
 */
export const TRACE_FIELD_SQL: Record<TraceField, { readonly column: string; readonly scale: number; readonly daily: string }> = {
  stake: { column: 'stake_total', scale: RAO, daily: 'stake_last * 1.0' },
  incentive: { column: 'incentive', scale: U16, daily: 'SUM(incentive_sum) * 1.0 / SUM(samples)' },
  dividends: { column: 'dividends', scale: U16, daily: 'SUM(dividends_sum) * 1.0 / SUM(samples)' },
  emission: { column: 'emission', scale: RAO, daily: 'SUM(emission_sum) * 1.0 / SUM(samples)' },
  trust: { column: 'trust', scale: U16, daily: 'SUM(trust_sum) * 1.0 / SUM(samples)' },
  consensus: { column: 'consensus', scale: U16, daily: 'SUM(consensus_sum) * 1.0 / SUM(samples)' },
};
