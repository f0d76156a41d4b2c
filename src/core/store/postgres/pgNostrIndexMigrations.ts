import type { PgMigration } from './pgMigrations';
import { pairStatsFunction } from './pgNostrMigrations';

/**
 * Indexes (and kept rankings) the PostgreSQL read side needs beyond pgNostrMigrations.ts's, each with the read it
 * serves and what EXPLAIN ANALYZE showed without it on the 1-million-job load of test/bench/storeScaleBench.ts.
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
  {
    id: 'pg-nostr-index-002-kept-percentiles',
    statements: [
      // The kind page's and the DVMs list's response-time percentiles (pgPairStats.ts): ranking kind 5300's ~270,000
      // (DVM, second) counts was a window sort spilling 26 MB to disk, ~1.1 s of the kind page's ~1.5 s and ~0.5 s of
      // the DVMs list's. Each ranking is kept with the version of the counts it ranked.
      pairStatsFunction(true),
      `CREATE TABLE nostr_dvm_kind_percentiles (
        dvm bytea NOT NULL, kind integer NOT NULL, version bigint NOT NULL,
        response_p50 bigint, response_p90 bigint, feedback_p50 bigint, feedback_p90 bigint,
        PRIMARY KEY (dvm, kind)
      )`,
      'CREATE TABLE nostr_dvm_percentiles (dvm bytea PRIMARY KEY, version text NOT NULL, p50 bigint, p90 bigint)',
    ],
  },
];
