import type { Migration } from '../store/migration';

/**
 * Which chain the stored Bittensor rows came from (issue 9). Apart from bittensorMigrations.ts so that this and the
 * history work there land independently; the id carries its own sub-prefix so that neither list takes the other's
 * number.
 */
export const chainGenesisMigrations: readonly Migration[] = [
  {
    // Which chain (genesis hash) a snapshot or listed subnet was read from: after the endpoint moves to another
    // chain, the old chain's rows are kept but no longer shown as current. NULL: stored before this step; such
    // rows are given the first chain connected afterwards (chainGenesisRepo.ts).
    id: 'bittensor-chain-001-genesis',
    up(db) {
      db.run(`
        ALTER TABLE bittensor_snapshots ADD COLUMN genesis TEXT;
        ALTER TABLE bittensor_subnets ADD COLUMN genesis TEXT;
      `);
    },
  },
];
