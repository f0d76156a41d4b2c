/** The nostr_rollups columns a series sums (seriesQuery.ts). */
export const SERIES_SUM_COLUMNS = [
  'requests', 'encrypted', 'results', 'feedback', 'answered', 'successes', 'errors', 'sats_requested', 'sats_earned', 'sats_proven',
] as const;
