import type { ChainStore } from '../../bittensor/bittensorStore';
import { scopeOf, type ChainScope } from '../../bittensor/chainGenesisScope';
import { pgColumn, pgRows, pgValue, type PgReader } from './pgReader';
import { BITTENSOR_WRITE_LOCK, inPgTransaction, type PgPool } from './pgTransaction';

/**
 * Which chain the stored Bittensor rows came from, on PostgreSQL: chainGenesisRepo.ts's rules (read its comments),
 * with the current chain in bittensor_current_chain. `db` is the pool, or a transaction's client when a write needs
 * its chain id inside that transaction.
 */

export async function currentGenesis(db: PgReader): Promise<string | null> {
  return (await pgValue<string>(db, 'SELECT genesis FROM bittensor_current_chain WHERE id = 0')) ?? null;
}

/** The scope of chain `genesis` for reading: id -1 when nothing of it was ever stored. */
export async function readScope(db: PgReader, genesis: string | null): Promise<ChainScope> {
  const id = genesis === null ? undefined : await pgValue<number>(db, 'SELECT id FROM bittensor_chains WHERE genesis = $1', [genesis]);
  return scopeOf(genesis, id);
}

/**
 * The scope of chain `genesis` for writing: its id, given one on first use. Looked up before inserting: an insert
 * that meets the conflict still draws a number from the identity, and chain ids would drift from sql.js's.
 */
export async function writeScope(db: PgReader, genesis: string | null): Promise<ChainScope> {
  const known = await readScope(db, genesis);
  if (genesis === null || known.id !== -1) return known;
  await pgRows(db, 'INSERT INTO bittensor_chains (genesis) VALUES ($1) ON CONFLICT (genesis) DO NOTHING', [genesis]);
  return readScope(db, genesis);
}

/** A WHERE term (numbered from `$at`) keeping rows of the current chain; rows nobody attributed count as current. */
export function onCurrent(current: string | null, column: string, at: number): [string, unknown[]] {
  return current === null ? ['TRUE', []] : [`(${column} IS NULL OR ${column} = $${at})`, [current]];
}

export function createPgChainStore(pool: PgPool): ChainStore {
  return {
    current: () => currentGenesis(pool),
    scope: async () => readScope(pool, await currentGenesis(pool)),
    async connectedTo(genesis) {
      // Under the write lock: two editors connecting at once must not both adopt the unknown rows, for different chains.
      return inPgTransaction(pool, async (client) => {
        const previous = await currentGenesis(client);
        if (previous === genesis) return { changed: false, previous };
        const owner = previous ?? genesis;
        const ownerId = (await writeScope(client, owner)).id;
        // SQLite's UPDATE OR IGNORE: an unknown row whose place the owner already holds stays unknown.
        await client.query(`UPDATE bittensor_snapshots s SET genesis = $1 WHERE genesis IS NULL AND NOT EXISTS (
          SELECT 1 FROM bittensor_snapshots t WHERE t.netuid = s.netuid AND t.block = s.block AND t.genesis = $1)`, [owner]);
        await client.query(`UPDATE bittensor_uid_days d SET chain = $1 WHERE chain = 0 AND NOT EXISTS (
          SELECT 1 FROM bittensor_uid_days o WHERE o.chain = $1 AND o.netuid = d.netuid AND o.day = d.day AND o.uid = d.uid AND o.hotkey_id = d.hotkey_id)`, [ownerId]);
        await client.query(`UPDATE bittensor_subnet_points p SET chain = $1 WHERE chain = 0 AND NOT EXISTS (
          SELECT 1 FROM bittensor_subnet_points o WHERE o.chain = $1 AND o.netuid = p.netuid AND o.block = p.block)`, [ownerId]);
        await client.query('UPDATE bittensor_subnets SET genesis = $1 WHERE genesis IS NULL', [owner]);
        await client.query(`INSERT INTO bittensor_current_chain (id, genesis) VALUES (0, $1)
          ON CONFLICT (id) DO UPDATE SET genesis = excluded.genesis`, [genesis]);
        return { changed: previous !== null, previous };
      }, BITTENSOR_WRITE_LOCK);
    },
    async latestBlock(netuid, before = Number.MAX_SAFE_INTEGER) {
      const [clause, params] = onCurrent(await currentGenesis(pool), 'genesis', 3);
      return (await pgValue<number | null>(pool,
        `SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = $1 AND block < $2 AND complete = 1 AND ${clause}`, [netuid, before, ...params])) ?? null;
    },
    async netuids() {
      const [clause, params] = onCurrent(await currentGenesis(pool), 'genesis', 1);
      return pgColumn<number>(pool, `SELECT DISTINCT netuid FROM bittensor_snapshots WHERE complete = 1 AND ${clause} ORDER BY netuid`, params);
    },
    async elsewhere() {
      const current = await currentGenesis(pool);
      if (current === null) return { subnets: 0, chains: [] };
      const found = await pgRows<[number, string]>(pool,
        `SELECT netuid, genesis FROM bittensor_snapshots WHERE genesis IS NOT NULL AND genesis <> $1
         UNION SELECT netuid, genesis FROM bittensor_subnets WHERE genesis IS NOT NULL AND genesis <> $1`, [current]);
      return { subnets: new Set(found.map(([netuid]) => netuid)).size, chains: [...new Set(found.map(([, genesis]) => genesis))].sort() };
    },
  };
}
