import { pgBittensorMigrations } from './pgBittensorMigrations';
import { pgEngineStateMigrations } from './pgEngineStateMigrations';
import type { PgMigration } from './pgMigrations';
import { pgNostrIndexMigrations } from './pgNostrIndexMigrations';
import { pgNostrMigrations } from './pgNostrMigrations';

/**
 * Every schema step of the team store, in the order they run. One list for every process that opens the database
 * (the collector, editors, tests, benches): runPgMigrations refuses a database that lists a step it does not know,
 * so a process with part of the list would refuse a database another one migrated whole.
 */
export const pgStorageMigrations: readonly PgMigration[] = [
  ...pgEngineStateMigrations,
  ...pgNostrMigrations,
  ...pgNostrIndexMigrations, // after the tables they index
  ...pgBittensorMigrations,
];
