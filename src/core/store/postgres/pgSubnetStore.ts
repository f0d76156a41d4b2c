import type { SubnetListing, SubnetStore } from '../../bittensor/bittensorStore';
import type { ChainScope } from '../../bittensor/chainGenesisScope';
import { BLOCKS_PER_DAY, type SubnetFacts } from '../../bittensor/model';
import { summariesOf, type LatestSnapshot } from '../../bittensor/subnetSummaryRows';
import { currentGenesis, onCurrent, writeScope } from './pgBittensorChain';
import { pgRow, pgRows, type PgReader } from './pgReader';
import { BITTENSOR_WRITE_LOCK, inPgTransaction, type PgPool } from './pgTransaction';

/**
 * The subnet list and per-subnet points on PostgreSQL: subnetRepo.ts and subnetSummaries.ts with the SQL ported
 * (read their comments for the rules). A list arrives whole, so it is written as one unnest insert of the rows and
 * one of the points.
 */

const LISTING_COLUMNS = 'netuid, name, tempo, uids, max_uids, max_validators, burn_rao, price';

export function createPgSubnetStore(pool: PgPool): SubnetStore {
  const listing = async (db: PgReader): Promise<SubnetListing[]> => {
    const [clause, params] = onCurrent(await currentGenesis(db), 'genesis', 1);
    return (await pgRows<[number, string, number | null, number, number | null, number | null, number | null, number | null]>(db,
      `SELECT ${LISTING_COLUMNS} FROM bittensor_subnets WHERE ${clause} ORDER BY netuid`, params))
      .map(([netuid, name, tempo, uids, maxUids, maxValidators, burnRao, priceTao]) => ({ netuid, name, tempo, uids, maxUids, maxValidators, burnRao, priceTao }));
  };
  return {
    async replaceListing(listings, block, genesis) {
      await inPgTransaction(pool, async (client) => {
        const chain = await writeScope(client, genesis);
        await client.query('DELETE FROM bittensor_subnets');
        const column = <K extends keyof SubnetListing>(key: K) => listings.map((s) => s[key]);
        await client.query(`INSERT INTO bittensor_subnets (${LISTING_COLUMNS}, block, genesis)
          SELECT *, $9::bigint, $10::text FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::float8[])`,
        [column('netuid'), column('name'), column('tempo'), column('uids'), column('maxUids'), column('maxValidators'), column('burnRao'), column('priceTao'), block, genesis]);
        // A list naming a subnet twice leaves its last entry's point, as the sql.js repo's INSERT OR REPLACE does.
        const points = new Map(listings.map((s) => [s.netuid, s]));
        await upsertPoints(client, chain.id, block, [...points.values()].map((s) => [s.netuid, s.burnRao, s.priceTao, s.uids]));
      }, BITTENSOR_WRITE_LOCK);
    },
    listing: () => listing(pool),
    async addPoint(netuid, block, burnRao, priceTao, uids, genesis) {
      await upsertPoints(pool, (await writeScope(pool, genesis)).id, block, [[netuid, burnRao, priceTao, uids]]);
    },
    async summaries(tracked, headBlock) {
      const current = await currentGenesis(pool);
      const [sOnChain, params] = onCurrent(current, 's.genesis', 1);
      const [tOnChain] = onCurrent(current, 't.genesis', 1);
      const latest = new Map<number, LatestSnapshot>();
      for (const [netuid, block, n, validators, facts] of await pgRows<[number, number, number, number, string]>(pool,
        `SELECT s.netuid, s.block, s.n, s.validators, s.facts FROM bittensor_snapshots s
         WHERE ${sOnChain} AND s.block = (SELECT MAX(block) FROM bittensor_snapshots t WHERE t.netuid = s.netuid AND ${tOnChain})`, params)) {
        latest.set(netuid, { block, n, validators, facts: JSON.parse(facts) as SubnetFacts });
      }
      const listed = await listing(pool);
      const netuids = [...new Set([...listed.map((entry) => entry.netuid), ...latest.keys()])];
      const changes = new Map(await Promise.all(netuids.map(async (netuid) => [netuid, await burnChange24h(pool, netuid)] as const)));
      return summariesOf(listed, latest, changes, tracked, headBlock);
    },
  };
}

async function upsertPoints(db: PgReader, chainId: number, block: number, points: readonly [number, number | null, number | null, number | null][]): Promise<void> {
  if (points.length === 0) return;
  await pgRows(db, `INSERT INTO bittensor_subnet_points (chain, netuid, block, burn_rao, price, uids)
    SELECT $1::int, v.netuid, $2::bigint, v.burn_rao, v.price, v.uids FROM unnest($3::int[], $4::bigint[], $5::float8[], $6::int[]) AS v (netuid, burn_rao, price, uids)
    ON CONFLICT (chain, netuid, block) DO UPDATE SET burn_rao = excluded.burn_rao, price = excluded.price, uids = excluded.uids`,
  [chainId, block, points.map((p) => p[0]), points.map((p) => p[1]), points.map((p) => p[2]), points.map((p) => p[3])]);
}

/** subnetRepo.ts's burnChange24h: register cost now minus a day earlier (RAO) on one chain; null without a point that old. */
export async function burnChange24h(db: PgReader, netuid: number, chain?: ChainScope, within: readonly [number, number] = [0, Number.MAX_SAFE_INTEGER]): Promise<number | null> {
  const latest = await pgRow<[number, number, number]>(db,
    `SELECT chain, block, burn_rao FROM bittensor_subnet_points WHERE netuid = $1 AND burn_rao IS NOT NULL AND block <= $2${chain ? ' AND chain = $3' : ''}
     ORDER BY block DESC LIMIT 1`, chain ? [netuid, within[1], chain.id] : [netuid, within[1]]);
  if (!latest) return null;
  const [chainId, block, burn] = latest;
  const before = await pgRow<[number]>(db,
    'SELECT burn_rao FROM bittensor_subnet_points WHERE chain = $1 AND netuid = $2 AND burn_rao IS NOT NULL AND block BETWEEN $3 AND $4 ORDER BY block DESC LIMIT 1',
    [chainId, netuid, within[0], block - BLOCKS_PER_DAY]);
  return before ? burn - before[0] : null;
}

/** Drops points older than `beforeBlock`, keeping the newest one per subnet and chain. */
export async function prunePoints(pool: PgPool, beforeBlock: number): Promise<number> {
  const result = await pool.query(`DELETE FROM bittensor_subnet_points p WHERE block < $1 AND block < (SELECT MAX(block) FROM bittensor_subnet_points o
    WHERE o.chain = p.chain AND o.netuid = p.netuid)`, [beforeBlock]);
  return result.rowCount ?? 0;
}
