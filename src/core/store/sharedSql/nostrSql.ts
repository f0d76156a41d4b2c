/**
 * Nostr SQL that the sql.js and the PostgreSQL adapters both send as it is written here (column lists and
 * expressions the two dialects read the same), so they are written once, and neither adapter imports the other
 * (sqlLivesInAdapters.test.ts). Anything only one dialect accepts stays in that adapter.
 */

/** The columns a stored event is read back from, in rawEvents.ts `eventFromRow`'s order (table: nostr_events). */
export const RAW_EVENT_COLUMNS = 'id, pubkey, created_at, kind, tags, content, sig';

/** nostr_dvm_kind_stats' columns in pairStats.ts `pairStatsOfRow`'s order. */
export const PAIR_STATS_COLUMNS = `dvm, kind, jobs, with_result, results, successes, errors, requested_msats, earned_msats, proven_msats,
  unpaid_jobs, unpaid_msats, paid_no_result, paid_no_result_msats, last_result_at, last_feedback_at`;

/**
 * One (job, DVM) pair's share of its (DVM, kind) row in nostr_dvm_kind_stats, as SQL over the pair's columns
 * (`R.` is replaced by OLD. or NEW.). Unpaid: it asked for payment, no zap receipt proves one and it delivered no
 * result; paid without result: a zap receipt proves a payment and no result came. `condition` marks a share that is a
 * truth value counted as 1 or 0 (SQLite adds it as it is; PostgreSQL casts it). Both schemas build from this list.
 */
export const PAIR_SHARE: readonly (readonly [column: string, expression: string, condition?: 'condition'])[] = [
  ['jobs', '1'],
  ['with_result', 'R.results > 0', 'condition'],
  ['results', 'R.results'],
  ['successes', 'R.succeeded'],
  ['errors', 'R.errored'],
  ['requested_msats', 'R.requested_msats'],
  ['earned_msats', 'CASE WHEN R.results > 0 THEN R.requested_msats ELSE 0 END'],
  ['proven_msats', 'R.proven_msats'],
  ['unpaid_jobs', 'R.requested_msats > 0 AND R.proven_msats = 0 AND R.results = 0', 'condition'],
  ['unpaid_msats', 'CASE WHEN R.requested_msats > 0 AND R.proven_msats = 0 AND R.results = 0 THEN R.requested_msats ELSE 0 END'],
  ['paid_no_result', 'R.proven_msats > 0 AND R.results = 0', 'condition'],
  ['paid_no_result_msats', 'CASE WHEN R.proven_msats > 0 AND R.results = 0 THEN R.proven_msats ELSE 0 END'],
];

/** The nostr_rollups columns a series sums (sqliteSeriesQuery.ts, sqliteSeriesTotalsMigration.ts). */
export const SERIES_SUM_COLUMNS = [
  'requests', 'encrypted', 'results', 'feedback', 'answered', 'successes', 'errors', 'sats_requested', 'sats_earned', 'sats_proven',
] as const;
