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

/** The scope of chain `genesis` given its id in bittensor_chains (undefined: nothing of it was ever stored, so no rows match). */
export function scopeOf(genesis: string | null, id: number | undefined): ChainScope {
  if (genesis === null) return UNKNOWN_CHAIN;
  return { genesis, id: id ?? -1 };
}
