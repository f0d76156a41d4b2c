import { bittensorMigrations } from './bittensor/bittensorMigrations';
import { chainGenesisMigrations } from './bittensor/chainGenesisMigrations';
import { postedJobsMigrations } from './jobs/postedJobsMigrations';
import type { Migration } from './migration';
import { nostrMigrations } from './nostr/nostrMigrations';
import { coreMigrations } from './state/coreMigrations';

/**
 * Every schema step of the sql.js database: the shared tables, then Bittensor, then Nostr and posted jobs. Store.open
 * runs the steps a file lacks in this order, so a new file and an old one may apply steps in different orders: a step
 * added at the end of Bittensor's list runs before every Nostr step in a new file, but after them in a file that had
 * them already. A step may therefore rely only on the earlier steps of its own list and on steps that had shipped
 * before it in the lists above its own (bittensor-chain-002 reads core's meta), never on a later list's. A new step
 * goes at the end of its own list, never between steps that have run, and no applied step changes
 * (sqliteMigrationsFrozen.test.ts). The PostgreSQL adapter keeps its own (pgStorageMigrations.ts).
 */
export const sqliteMigrations: readonly Migration[] = [
  ...coreMigrations,
  ...bittensorMigrations,
  ...chainGenesisMigrations,
  ...nostrMigrations,
  ...postedJobsMigrations,
];
