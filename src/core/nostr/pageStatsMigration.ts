/** `kind` of the user rollups that count distinct users over every kind together. */
export const ANY_KIND = 0;

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
