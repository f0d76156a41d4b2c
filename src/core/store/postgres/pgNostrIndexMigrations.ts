import type { PgMigration } from './pgMigrations';

/**
 * Indexes the PostgreSQL read side needs beyond pgNostrMigrations.ts's, each with the read it serves and what
 * EXPLAIN ANALYZE showed without it on the 1-million-job load of test/bench/storeScaleBench.ts.
 */
export const pgNostrIndexMigrations: readonly PgMigration[] = [
  {
    id: 'pg-nostr-index-001-kind-users-window',
    statements: [
      // The metrics' users per kind in a window (pgMetricsQueries windowKindUsers): by (last_at) alone, the 30-day
      // window fetched ~29,000 heap rows for their kind (bitmap heap scan, ~10 ms); with the kind in the index it is
      // an index-only scan. 2 MB at 1 million jobs.
      'CREATE INDEX nostr_kind_users_last_kind ON nostr_kind_users (last_at, kind)',
    ],
  },
];
