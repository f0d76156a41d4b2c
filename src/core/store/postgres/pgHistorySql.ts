import { genesisKey, type ChainScope } from '../../bittensor/chainGenesisScope';
import { blockBounds, SECONDS_PER_DAY } from '../../bittensor/historyBounds';
import type { BlockRange, HistoryRange } from '../../bittensor/subnetHistoryModel';
import { pgRow, pgRows, pgValue, type PgReader } from './pgReader';

/**
 * sqliteHistoryReads.ts's shared reads on PostgreSQL (read its comments for the rules): a range in blocks, the raw snapshots
 * a series draws, the days only rollups cover, and the key and identity dictionaries. Where sql.js folds rows into
 * one JSON text to cross the WASM boundary once, these read plain rows: a server's result already comes in one go.
 */

const ON_CHAIN = "COALESCE(genesis, '') = $2";

export async function pgBlockRangeOf(db: PgReader, netuid: number, chain: ChainScope, range: HistoryRange): Promise<BlockRange> {
  let { fromBlock, toBlock } = range;
  if (range.fromTime !== undefined) {
    const first = await pgValue<number | null>(db, `SELECT MIN(block) FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND block_time >= $3`,
      [netuid, genesisKey(chain), range.fromTime]);
    fromBlock = Math.max(fromBlock ?? 0, first ?? Number.MAX_SAFE_INTEGER);
  }
  if (range.toTime !== undefined) {
    const last = await pgValue<number | null>(db, `SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND block_time <= $3`,
      [netuid, genesisKey(chain), range.toTime]);
    toBlock = Math.min(toBlock ?? Number.MAX_SAFE_INTEGER, last ?? -1);
  }
  return { ...(fromBlock === undefined ? {} : { fromBlock }), ...(toBlock === undefined ? {} : { toBlock }) };
}

/** ss58 of key ids. */
export async function pgKeysById(db: PgReader, ids: Iterable<number>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  return new Map(await pgRows<[number, string]>(db, 'SELECT id, ss58 FROM bittensor_keys WHERE id = ANY($1::bigint[])', [wanted]));
}

/** Key ids of ss58 addresses; addresses never stored are left out. */
export async function pgIdsByKey(db: PgReader, keys: readonly string[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  return new Map((await pgRows<[number, string]>(db, 'SELECT id, ss58 FROM bittensor_keys WHERE ss58 = ANY($1::text[])', [[...keys]])).map(([id, ss58]) => [ss58, id]));
}

export async function pgIdentityNames(db: PgReader, coldkeyIds: Iterable<number>): Promise<Map<number, string>> {
  const wanted = [...new Set(coldkeyIds)];
  if (wanted.length === 0) return new Map();
  return new Map(await pgRows<[number, string]>(db, 'SELECT coldkey_id, name FROM bittensor_identities WHERE coldkey_id = ANY($1::bigint[])', [wanted]));
}

/** The complete snapshots of a range, at most `limit`, every k-th counted back from the newest; oldest first. */
export async function pgRawSnapshots(db: PgReader, netuid: number, chain: ChainScope, range: BlockRange, limit: number): Promise<{ id: number; block: number; time: number }[]> {
  const [from, to] = blockBounds(range);
  const count = (await pgValue<number>(db,
    `SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND complete = 1 AND block BETWEEN $3 AND $4`,
    [netuid, genesisKey(chain), from, to]))!;
  const every = Math.max(1, Math.ceil(count / limit));
  return (await pgRows<[number, number, number]>(db,
    `SELECT id, block, block_time FROM (
       SELECT id, block, block_time, ROW_NUMBER() OVER (ORDER BY block DESC) - 1 AS back
       FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND complete = 1 AND block BETWEEN $3 AND $4) s
     WHERE back % $5 = 0 ORDER BY block`,
    [netuid, genesisKey(chain), from, to, every])).map(([id, block, time]) => ({ id, block, time }));
}

/** The days of a range only the daily rollups cover, each with its newest block (`withIps`: days rolled up with axons). */
export async function pgRollupDays(db: PgReader, netuid: number, chain: ChainScope, range: BlockRange, withIps = false): Promise<{ day: number; block: number }[]> {
  const [from, to] = blockBounds(range);
  const raw = await pgFirstRaw(db, netuid, chain, range);
  const beforeDay = raw === null ? Number.MAX_SAFE_INTEGER : Math.floor(raw.time / SECONDS_PER_DAY);
  return (await pgRows<[number, number]>(db,
    `SELECT block_time / ${SECONDS_PER_DAY} AS day, MAX(block) FROM bittensor_snapshots
     WHERE netuid = $1 AND ${ON_CHAIN} AND block BETWEEN $3 AND $4 AND block_time < $5::numeric GROUP BY day
     ${withIps ? 'HAVING MIN(ip_rolled) = 1' : ''} ORDER BY day`,
    // The day bound as numeric: "no raw snapshot" multiplies past bigint.
    [netuid, genesisKey(chain), from, to, String(BigInt(beforeDay) * BigInt(SECONDS_PER_DAY))])).map(([day, block]) => ({ day, block }));
}

/** The oldest complete snapshot of a range. */
export async function pgFirstRaw(db: PgReader, netuid: number, chain: ChainScope, range: BlockRange): Promise<{ block: number; time: number } | null> {
  const [from, to] = blockBounds(range);
  const found = await pgRow<[number, number]>(db,
    `SELECT block, block_time FROM bittensor_snapshots WHERE netuid = $1 AND ${ON_CHAIN} AND complete = 1 AND block BETWEEN $3 AND $4 ORDER BY block LIMIT 1`,
    [netuid, genesisKey(chain), from, to]);
  return found ? { block: found[0], time: found[1] } : null;
}
