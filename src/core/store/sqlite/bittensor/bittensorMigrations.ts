import type { Migration } from '../migration';

/**
 * Bittensor tables. Snapshots are the bulk (up to 1,024 rows per subnet every 100 blocks), so a neuron row holds
 * only integers in the chain's own units (u16 scores, RAO) and ids into small dictionaries of keys and axons;
 * WITHOUT ROWID keeps the (snapshot, uid) key as the row's only key.
 */
export const bittensorMigrations: readonly Migration[] = [
  {
    id: 'bittensor-001-snapshots',
    up(db) {
      db.run(`
        CREATE TABLE bittensor_keys (id INTEGER PRIMARY KEY, ss58 TEXT NOT NULL UNIQUE);
        CREATE TABLE bittensor_axons (
          id INTEGER PRIMARY KEY, ip TEXT NOT NULL, port INTEGER NOT NULL, ip_type INTEGER NOT NULL, version INTEGER NOT NULL,
          UNIQUE (ip, port, ip_type, version)
        );
        -- A coldkey's identity name, newest seen.
        CREATE TABLE bittensor_identities (coldkey_id INTEGER PRIMARY KEY, name TEXT NOT NULL, block INTEGER NOT NULL);
        CREATE TABLE bittensor_snapshots (
          id INTEGER PRIMARY KEY,
          netuid INTEGER NOT NULL,
          block INTEGER NOT NULL,
          block_hash TEXT,
          taken_at INTEGER NOT NULL,      -- unix seconds when read
          block_time INTEGER NOT NULL,    -- unix seconds of the block (estimated for backfilled blocks)
          n INTEGER NOT NULL,
          validators INTEGER NOT NULL,
          coldkeys INTEGER NOT NULL,
          facts TEXT NOT NULL,            -- SubnetFacts JSON
          complete INTEGER NOT NULL DEFAULT 1, -- 0 once retention kept only pinned hotkeys' rows
          UNIQUE (netuid, block)
        );
        CREATE TABLE bittensor_neurons (
          snapshot_id INTEGER NOT NULL,
          uid INTEGER NOT NULL,
          hotkey_id INTEGER NOT NULL,
          coldkey_id INTEGER NOT NULL,
          flags INTEGER NOT NULL,         -- bit 0 active, bit 1 validator permit
          stake_total INTEGER NOT NULL,   -- RAO
          stake_alpha INTEGER NOT NULL,
          stake_tao INTEGER NOT NULL,
          rank INTEGER NOT NULL,          -- u16 scores, as on chain
          trust INTEGER NOT NULL,
          consensus INTEGER NOT NULL,
          incentive INTEGER NOT NULL,
          dividends INTEGER NOT NULL,
          validator_trust INTEGER NOT NULL,
          emission INTEGER NOT NULL,      -- RAO per tempo
          last_update INTEGER NOT NULL,
          registration_block INTEGER,
          axon_id INTEGER,
          PRIMARY KEY (snapshot_id, uid)
        ) WITHOUT ROWID;
        -- Per-UID daily rollups, kept for historyDays after the full snapshots are gone.
        CREATE TABLE bittensor_uid_days (
          netuid INTEGER NOT NULL,
          day INTEGER NOT NULL,           -- unix day of block_time
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
          PRIMARY KEY (netuid, day, uid, hotkey_id)
        ) WITHOUT ROWID;
        -- Subnet figures over time (from snapshots and subnet-list refreshes): register cost and its 24 h change.
        CREATE TABLE bittensor_subnet_points (
          netuid INTEGER NOT NULL,
          block INTEGER NOT NULL,
          burn_rao INTEGER,
          price REAL,
          uids INTEGER,
          PRIMARY KEY (netuid, block)
        ) WITHOUT ROWID;
        -- The newest subnet list read from the chain.
        CREATE TABLE bittensor_subnets (
          netuid INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          tempo INTEGER,
          uids INTEGER NOT NULL,
          max_uids INTEGER,
          max_validators INTEGER,
          burn_rao INTEGER,
          price REAL,
          block INTEGER NOT NULL
        );
      `);
    },
  },
  {
    // Consensus joins the daily rollups so that its trace reaches past the raw window like the other scores. Days
    // rolled up before this step have no sum: NULL (shown as a gap), never a mean of zero.
    id: 'bittensor-002-consensus-rollup',
    up(db) {
      db.run('ALTER TABLE bittensor_uid_days ADD COLUMN consensus_sum INTEGER');
    },
  },
  {
    // The dashboard's series follow a few keys through many snapshots (issue 13): without these, a top-20 trace or
    // group series reads every row of the raw window. Each index holds the key, the snapshot and (WITHOUT ROWID) the
    // UID, so counting a group's hotkeys never touches the rows themselves.
    id: 'bittensor-003-history-indexes',
    up(db) {
      db.run(`
        CREATE INDEX bittensor_neurons_by_hotkey ON bittensor_neurons (hotkey_id, snapshot_id);
        CREATE INDEX bittensor_neurons_by_coldkey ON bittensor_neurons (coldkey_id, snapshot_id);
        CREATE INDEX bittensor_neurons_by_axon ON bittensor_neurons (axon_id, snapshot_id);
        CREATE INDEX bittensor_uid_days_by_hotkey ON bittensor_uid_days (netuid, hotkey_id, day);
        CREATE INDEX bittensor_uid_days_by_coldkey ON bittensor_uid_days (netuid, coldkey_id, day);
      `);
    },
  },
];
