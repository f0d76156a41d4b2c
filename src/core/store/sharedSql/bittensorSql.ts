import { RAO, U16 } from '../../bittensor/historyBounds';
import type { TraceField } from '../../bittensor/subnetHistoryModel';

/**
 * Bittensor SQL that the sql.js and the PostgreSQL adapters both send as it is written here: the two dialects read
 * these words the same, so they are written once, and neither adapter imports the other (sqlLivesInAdapters.test.ts).
 * Anything only one dialect accepts stays in that adapter.
 */

/**
 * The inverse of the sql.js adapter's daily roll-up for the rows of one snapshot (first/last block stay: the same
 * block comes back), in either store's numbered placeholders ('?' for SQLite, '$' for PostgreSQL): 1 netuid, 2 day,
 * 3 snapshot id, 4 chain id.
 */
export const unrollDaySql = (mark: '?' | '$') => `UPDATE bittensor_uid_days AS d SET
    samples = d.samples - 1, permit_samples = d.permit_samples - ((n.flags >> 1) & 1),
    incentive_sum = d.incentive_sum - n.incentive, dividends_sum = d.dividends_sum - n.dividends, trust_sum = d.trust_sum - n.trust,
    validator_trust_sum = d.validator_trust_sum - n.validator_trust, emission_sum = d.emission_sum - n.emission,
    consensus_sum = d.consensus_sum - n.consensus
  FROM bittensor_neurons AS n
  WHERE n.snapshot_id = ${mark}3 AND d.chain = ${mark}4 AND d.netuid = ${mark}1 AND d.day = ${mark}2 AND d.uid = n.uid AND d.hotkey_id = n.hotkey_id`;

/** A snapshot's neurons with their keys, axon and identity, as neuronOfRow reads them; each store adds its WHERE. */
export const NEURON_ROWS_SQL = `SELECT nr.uid, hk.ss58, ck.ss58, nr.flags, nr.stake_total, nr.stake_alpha, nr.stake_tao, nr.rank, nr.trust, nr.consensus,
    nr.incentive, nr.dividends, nr.validator_trust, nr.emission, nr.last_update, nr.registration_block,
    ax.ip, ax.port, ax.ip_type, ax.version, id.name
  FROM bittensor_neurons nr
  JOIN bittensor_keys hk ON hk.id = nr.hotkey_id
  JOIN bittensor_keys ck ON ck.id = nr.coldkey_id
  LEFT JOIN bittensor_axons ax ON ax.id = nr.axon_id
  LEFT JOIN bittensor_identities id ON id.coldkey_id = nr.coldkey_id`;

/**
 * Per trace field: the raw column and its scale. A day's figure from the rollup is each dialect's own (sqliteTraces.ts
 * takes stake's last value as a bare column beside MAX(last_block), which PostgreSQL refuses; pgTraceQuery.ts uses
 * DISTINCT ON and window sums), so it lives in the adapters.
 */
export const TRACE_FIELD_SQL: Record<TraceField, { readonly column: string; readonly scale: number }> = {
  stake: { column: 'stake_total', scale: RAO },
  incentive: { column: 'incentive', scale: U16 },
  dividends: { column: 'dividends', scale: U16 },
  emission: { column: 'emission', scale: RAO },
  trust: { column: 'trust', scale: U16 },
  consensus: { column: 'consensus', scale: U16 },
};
