import { bittensorMigrations } from './bittensor/bittensorMigrations';
import { chainGenesisMigrations } from './bittensor/chainGenesisMigrations';
import { postedJobsMigrations } from './jobs/postedJobsMigrations';
import type { Migration } from './migration';
import { nostrMigrations } from './nostr/nostrMigrations';
import { coreMigrations } from './state/coreMigrations';

/**
 * Every schema step of the sql.js database, in the order they run: the shared tables, then Bittensor, then Nostr and
 * posted jobs. The order is the one databases in the field were built in; a new step goes at the end of its domain's
 * list, never between steps that have run. The PostgreSQL adapter keeps its own (pgStorageMigrations.ts).
 */
export const sqliteMigrations: readonly Migration[] = [
  ...coreMigrations,
  ...bittensorMigrations,
  ...chainGenesisMigrations,
  ...nostrMigrations,
  ...postedJobsMigrations,
];
