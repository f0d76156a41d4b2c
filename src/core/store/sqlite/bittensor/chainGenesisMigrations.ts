import type { Migration } from '../migration';

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
  {
    // Issue 13: the history is keyed by chain too, so that two chains' snapshots at the same block both survive and
    // no read mixes them. Headers keep their genesis text (unique per chain, netuid, block; unknown as ''); the
    // bulky rows (daily rollups, subnet points) get a small chain id from bittensor_chains, 0 for unknown.
    // Rows already stored are given a chain by one rule each:
    // - a header with no genesis was shown as the current chain's (onCurrent), so it is given the current chain;
    //   with none known it stays unknown and the first chain connected adopts it (connectedTo);
    // - a rollup row belongs to the chain of the snapshot its newest sample came from (last_block);
    // - a subnet point to the chain of the snapshot at its block, else (a subnet-list point) to the current chain;
    // - unknown (0) when that header is gone.
    // The rollups also keep each (UID, hotkey)'s axon at the day's last sample, so IP groups reach past the raw
    // window; headers rolled up before this step say so (ip_rolled = 0) and their days have no IP counts.
    id: 'bittensor-chain-002-history-keys',
    up(db) {
      db.run(`
        CREATE TABLE bittensor_chains (id INTEGER PRIMARY KEY, genesis TEXT NOT NULL UNIQUE);
        UPDATE bittensor_snapshots SET genesis = (SELECT value FROM meta WHERE key = 'bittensor.genesis') WHERE genesis IS NULL;
        INSERT INTO bittensor_chains (genesis)
          SELECT genesis FROM bittensor_snapshots WHERE genesis IS NOT NULL
          UNION SELECT genesis FROM bittensor_subnets WHERE genesis IS NOT NULL
          UNION SELECT value FROM meta WHERE key = 'bittensor.genesis';
        CREATE TEMP TABLE chain_of_block AS
          SELECT s.netuid, s.block, IFNULL(c.id, 0) AS chain FROM bittensor_snapshots s LEFT JOIN bittensor_chains c ON c.genesis = s.genesis;
        CREATE UNIQUE INDEX temp.chain_of_block_key ON chain_of_block (netuid, block);

        CREATE TABLE bittensor_uid_days_keyed (
          chain INTEGER NOT NULL,         -- bittensor_chains.id, 0: unknown
          netuid INTEGER NOT NULL,
          day INTEGER NOT NULL,
          uid INTEGER NOT NULL,
          hotkey_id INTEGER NOT NULL,
          coldkey_id INTEGER NOT NULL,
          samples INTEGER NOT NULL,
          permit_samples INTEGER NOT NULL,
          incentive_sum INTEGER NOT NULL,
          dividends_sum INTEGER NOT NULL,
          trust_sum INTEGER NOT NULL,
          validator_trust_sum INTEGER NOT NULL,
          emission_sum INTEGER NOT NULL,
          stake_last INTEGER NOT NULL,
          first_block INTEGER NOT NULL,
          last_block INTEGER NOT NULL,
          consensus_sum INTEGER,
          axon_last INTEGER,              -- the axon at the day's last sample; NULL: none (or rolled up before this step)
          PRIMARY KEY (chain, netuid, day, uid, hotkey_id)
        ) WITHOUT ROWID;
        INSERT INTO bittensor_uid_days_keyed
          SELECT IFNULL((SELECT chain FROM chain_of_block b WHERE b.netuid = d.netuid AND b.block = d.last_block), 0),
            netuid, day, uid, hotkey_id, coldkey_id, samples, permit_samples, incentive_sum, dividends_sum, trust_sum,
            validator_trust_sum, emission_sum, stake_last, first_block, last_block, consensus_sum, NULL
          FROM bittensor_uid_days d;
        DROP TABLE bittensor_uid_days;
        ALTER TABLE bittensor_uid_days_keyed RENAME TO bittensor_uid_days;
        CREATE INDEX bittensor_uid_days_by_hotkey ON bittensor_uid_days (chain, netuid, hotkey_id, day);
        CREATE INDEX bittensor_uid_days_by_coldkey ON bittensor_uid_days (chain, netuid, coldkey_id, day);
        CREATE INDEX bittensor_uid_days_by_axon ON bittensor_uid_days (chain, netuid, axon_last, day);

        CREATE TABLE bittensor_subnet_points_keyed (
          chain INTEGER NOT NULL,
          netuid INTEGER NOT NULL,
          block INTEGER NOT NULL,
          burn_rao INTEGER,
          price REAL,
          uids INTEGER,
          PRIMARY KEY (chain, netuid, block)
        ) WITHOUT ROWID;
        INSERT INTO bittensor_subnet_points_keyed
          SELECT IFNULL((SELECT chain FROM chain_of_block b WHERE b.netuid = p.netuid AND b.block = p.block),
              IFNULL((SELECT c.id FROM bittensor_chains c JOIN meta m ON m.key = 'bittensor.genesis' AND m.value = c.genesis), 0)),
            netuid, block, burn_rao, price, uids
          FROM bittensor_subnet_points p;
        DROP TABLE bittensor_subnet_points;
        ALTER TABLE bittensor_subnet_points_keyed RENAME TO bittensor_subnet_points;

        CREATE TABLE bittensor_snapshots_keyed (
          id INTEGER PRIMARY KEY,
          netuid INTEGER NOT NULL,
          block INTEGER NOT NULL,
          block_hash TEXT,
          taken_at INTEGER NOT NULL,
          block_time INTEGER NOT NULL,
          n INTEGER NOT NULL,
          validators INTEGER NOT NULL,
          coldkeys INTEGER NOT NULL,
          facts TEXT NOT NULL,
          complete INTEGER NOT NULL DEFAULT 1,
          genesis TEXT,                   -- the chain read from; NULL: unknown
          ip_rolled INTEGER NOT NULL DEFAULT 1 -- its axons went into the daily rollups (0: rolled up before they did)
        );
        INSERT INTO bittensor_snapshots_keyed
          SELECT id, netuid, block, block_hash, taken_at, block_time, n, validators, coldkeys, facts, complete, genesis, 0 FROM bittensor_snapshots;
        DROP TABLE bittensor_snapshots;
        ALTER TABLE bittensor_snapshots_keyed RENAME TO bittensor_snapshots;
        CREATE UNIQUE INDEX bittensor_snapshots_by_chain ON bittensor_snapshots (netuid, IFNULL(genesis, ''), block);
        DROP TABLE temp.chain_of_block;
      `);
    },
  },
];
