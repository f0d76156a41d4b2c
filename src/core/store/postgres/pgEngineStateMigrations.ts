import type { PgMigration } from './pgMigrations';

/**
 * The engine-wide tables of the team store (coreMigrations.ts on PostgreSQL, same names and columns): pins, dropped
 * counts and alert state. `meta` is left out: nothing reads it on the server. "Collecting since" is the first
 * migration's `applied_at` (swarmscope_migrations, milliseconds), as sql.js reads its schema_migrations.
 */
export const pgEngineStateMigrations: readonly PgMigration[] = [
  {
    id: 'pg-core-001-engine-state',
    statements: [
      // What the user watches: a DVM pubkey (domain 'dvm') or a hotkey (domain 'hotkey'); retention keeps what it names.
      'CREATE TABLE pins (domain text NOT NULL, key text NOT NULL, label text, created_at bigint NOT NULL, PRIMARY KEY (domain, key))',
      'CREATE TABLE dropped_counts (reason text PRIMARY KEY, count bigint NOT NULL)',
      'CREATE TABLE alert_state (key text PRIMARY KEY, raised_at bigint NOT NULL)',
    ],
  },
];
