import type { Database as SqlDatabase } from 'sql.js';

/**
 * The chain a history read or write is about (issue 13). Snapshot headers name their chain by genesis hash (NULL:
 * unknown); the bulky rows keyed by chain (daily rollups, subnet points) carry a small id from bittensor_chains
 * instead, 0 for unknown. A read of one chain sees that chain's rows only, never another's at the same block.
 */
export interface ChainScope {
  /** The genesis hash, or null: rows stored without knowing their chain (before any endpoint answered). */
  readonly genesis: string | null;
  /** Its id in bittensor_chains; 0 for unknown; -1 for a chain nothing was stored from. */
  readonly id: number;
}

export const UNKNOWN_CHAIN: ChainScope = { genesis: null, id: 0 };

/**
 * The header column's value in the snapshots' unique key, `IFNULL(genesis, '')`: NULLs are distinct in a UNIQUE
 * index, so the key (and every scoped read, which must match the indexed expression to use it) writes unknown as ''.
 */
export function genesisKey(scope: ChainScope): string {
  return scope.genesis ?? '';
}

/** The scope of chain `genesis` for reading: id -1 when nothing of that chain was ever stored (no rows match). */
export function readScope(db: SqlDatabase, genesis: string | null): ChainScope {
  if (genesis === null) return UNKNOWN_CHAIN;
  const found = db.exec('SELECT id FROM bittensor_chains WHERE genesis = ?', [genesis])[0]?.values[0]?.[0];
  return { genesis, id: typeof found === 'number' ? found : -1 };
}

/** The scope of chain `genesis` for writing: its id, given one on first use. */
export function writeScope(db: SqlDatabase, genesis: string | null): ChainScope {
  if (genesis === null) return UNKNOWN_CHAIN;
  db.run('INSERT INTO bittensor_chains (genesis) VALUES (?) ON CONFLICT (genesis) DO NOTHING', [genesis]);
  return readScope(db, genesis);
}

/** The WHERE term keeping one chain's snapshot headers (`prefix`: a table alias and dot); bind genesisKey(scope). */
export function onChainSql(prefix = ''): string {
  return `IFNULL(${prefix}genesis, '') = ?`;
}
