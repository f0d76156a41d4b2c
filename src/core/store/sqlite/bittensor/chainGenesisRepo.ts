import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { rows } from '../sqlRows';
import { scopeOf, type ChainScope } from '../../../bittensor/chainGenesisScope';

const CURRENT_KEY = 'bittensor.genesis';

/**
 * Which chain the stored Bittensor rows came from. A chain is named by its genesis hash (block 0): an endpoint
 * moved from finney to a testnet or a local node answers with another one. The views show the rows of the chain
 * the endpoint last connected to; the other chain's rows are kept (switching back shows them again) but never
 * passed off as current.
 */
export class ChainGenesisRepo {
  constructor(private readonly db: SqlDatabase) {}

  /** The chain of the endpoint's last connection; null before the first one (every row then counts as current). */
  current(): string | null {
    return (rows(this.db, 'SELECT value FROM meta WHERE key = ?', [CURRENT_KEY])[0]?.[0] as string | undefined) ?? null;
  }

  /**
   * The chain the history reads are about: the endpoint's last, or the unknown chain's rows before any endpoint
   * answered (they are adopted by the first chain that does).
   */
  scope(): ChainScope {
    return this.readScope(this.current());
  }

  /** The scope of chain `genesis` for reading: id -1 when nothing of that chain was ever stored (no rows match). */
  readScope(genesis: string | null): ChainScope {
    const id = genesis === null ? undefined : rows(this.db, 'SELECT id FROM bittensor_chains WHERE genesis = ?', [genesis])[0]?.[0] as number | undefined;
    return scopeOf(genesis, id);
  }

  /** The scope of chain `genesis` for writing: its id, given one on first use. */
  writeScope(genesis: string | null): ChainScope {
    if (genesis !== null) this.db.run('INSERT INTO bittensor_chains (genesis) VALUES (?) ON CONFLICT (genesis) DO NOTHING', [genesis]);
    return this.readScope(genesis);
  }

  /**
   * Records that the endpoint is on chain `genesis`. Rows nobody had attributed yet (stored before chains were
   * recorded) belong to the chain that was current until now, or to this one when none was known. An unknown row
   * whose place that chain already holds (the same subnet and block, or day and UID) stays unknown: the chain's own
   * row is not overwritten.
   */
  connectedTo(genesis: string): { readonly changed: boolean; readonly previous: string | null } {
    const previous = this.current();
    if (previous === genesis) return { changed: false, previous };
    const owner = previous ?? genesis;
    this.db.run('BEGIN');
    try {
      const ownerId = this.writeScope(owner).id;
      this.db.run('UPDATE OR IGNORE bittensor_snapshots SET genesis = ? WHERE genesis IS NULL', [owner]);
      this.db.run('UPDATE OR IGNORE bittensor_uid_days SET chain = ? WHERE chain = 0', [ownerId]);
      this.db.run('UPDATE OR IGNORE bittensor_subnet_points SET chain = ? WHERE chain = 0', [ownerId]);
      this.db.run('UPDATE bittensor_subnets SET genesis = ? WHERE genesis IS NULL', [owner]);
      this.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [CURRENT_KEY, genesis]);
      this.db.run('COMMIT');
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
    return { changed: previous !== null, previous };
  }

  /** The newest complete snapshot's block of a subnet on the current chain (before block `before`, when given). */
  latestBlock(netuid: number, before = Number.MAX_SAFE_INTEGER): number | null {
    const [clause, params] = this.onCurrent();
    const found = rows(this.db, `SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = ? AND block < ? AND complete = 1 AND ${clause}`,
      [netuid, before, ...params]);
    return (found[0]?.[0] as number | null) ?? null;
  }

  /** Subnets with a complete snapshot on the current chain. */
  netuids(): number[] {
    const [clause, params] = this.onCurrent();
    return rows(this.db, `SELECT DISTINCT netuid FROM bittensor_snapshots WHERE complete = 1 AND ${clause} ORDER BY netuid`, params)
      .map(([netuid]) => netuid as number);
  }

  /** What is kept from other chains and so not shown: how many subnets, and which chains. */
  elsewhere(): { readonly subnets: number; readonly chains: string[] } {
    const current = this.current();
    if (current === null) return { subnets: 0, chains: [] };
    const found = rows(this.db,
      `SELECT netuid, genesis FROM bittensor_snapshots WHERE genesis IS NOT NULL AND genesis <> ?1
       UNION SELECT netuid, genesis FROM bittensor_subnets WHERE genesis IS NOT NULL AND genesis <> ?1`, [current]);
    return { subnets: new Set(found.map(([netuid]) => netuid)).size, chains: [...new Set(found.map(([, genesis]) => genesis as string))].sort() };
  }

  /** A WHERE fragment (and its parameters) keeping rows of the current chain; rows nobody attributed count as current. */
  onCurrent(column = 'genesis'): [string, SqlValue[]] {
    const current = this.current();
    return current === null ? ['1 = 1', []] : [`(${column} IS NULL OR ${column} = ?)`, [current]];
  }
}
