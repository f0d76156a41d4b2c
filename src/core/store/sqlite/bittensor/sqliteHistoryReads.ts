import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { genesisKey, type ChainScope } from '../../../bittensor/chainGenesisScope';
import { onChainSql } from './sqliteOnChain';
import { blockBounds, SECONDS_PER_DAY } from '../../../bittensor/historyBounds';
import type { BlockRange, HistoryRange } from '../../../bittensor/subnetHistoryModel';
import { rows } from '../sqlRows';

/**
 * A range given by time as the blocks of the stored snapshots inside it: from the first snapshot at or after
 * `fromTime`, to the last at or before `toTime`. With blocks too, the narrower end wins; a time no snapshot reaches
 * leaves the range empty.
 */
export function blockRangeOf(db: SqlDatabase, netuid: number, chain: ChainScope, range: HistoryRange): BlockRange {
  let { fromBlock, toBlock } = range;
  if (range.fromTime !== undefined) {
    const first = rows(db, `SELECT MIN(block) FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND block_time >= ?`,
      [netuid, genesisKey(chain), range.fromTime])[0][0] as number | null;
    fromBlock = Math.max(fromBlock ?? 0, first ?? Number.MAX_SAFE_INTEGER);
  }
  if (range.toTime !== undefined) {
    const last = rows(db, `SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND block_time <= ?`,
      [netuid, genesisKey(chain), range.toTime])[0][0] as number | null;
    toBlock = Math.min(toBlock ?? Number.MAX_SAFE_INTEGER, last ?? -1);
  }
  return { ...(fromBlock === undefined ? {} : { fromBlock }), ...(toBlock === undefined ? {} : { toBlock }) };
}

/**
 * A query whose one row holds one JSON text (json_group_array): a page of thousands of values crosses the JS/WASM
 * boundary once and is decoded once, instead of a step and a get per row.
 */
export function jsonResult<T>(db: SqlDatabase, sql: string, params: SqlValue[]): T | undefined {
  const text = rows(db, sql, params)[0]?.[0];
  return typeof text === 'string' ? (JSON.parse(text) as T) : undefined;
}

/** ss58 of key ids (hotkeys and coldkeys share one dictionary). */
export function keysById(db: SqlDatabase, ids: Iterable<number>): Map<number, string> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const found = jsonResult<[number, string][]>(db,
    'SELECT json_group_array(json_array(id, ss58)) FROM bittensor_keys WHERE id IN (SELECT value FROM json_each(?))',
    [JSON.stringify(wanted)]) ?? [];
  return new Map(found);
}

/** Key ids of ss58 addresses; addresses never stored are left out. */
export function idsByKey(db: SqlDatabase, keys: readonly string[]): Map<string, number> {
  if (keys.length === 0) return new Map();
  const found = jsonResult<[number, string][]>(db,
    'SELECT json_group_array(json_array(id, ss58)) FROM bittensor_keys WHERE ss58 IN (SELECT value FROM json_each(?))',
    [JSON.stringify(keys)]) ?? [];
  return new Map(found.map(([id, ss58]) => [ss58, id]));
}

/** Coldkey identity names by coldkey id. */
export function identityNames(db: SqlDatabase, coldkeyIds: Iterable<number>): Map<number, string> {
  const wanted = [...new Set(coldkeyIds)];
  if (wanted.length === 0) return new Map();
  const found = jsonResult<[number, string][]>(db,
    'SELECT json_group_array(json_array(coldkey_id, name)) FROM bittensor_identities WHERE coldkey_id IN (SELECT value FROM json_each(?))',
    [JSON.stringify(wanted)]) ?? [];
  return new Map(found);
}

/**
 * The complete (raw) snapshots of a range, at most `limit`, spread evenly over it and always including the newest:
 * every k-th counted back from the newest. Oldest first.
 */
export function rawSnapshots(db: SqlDatabase, netuid: number, chain: ChainScope, range: BlockRange, limit: number): { id: number; block: number; time: number }[] {
  const [from, to] = blockBounds(range);
  const count = rows(db, `SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND complete = 1 AND block BETWEEN ? AND ?`,
    [netuid, genesisKey(chain), from, to])[0][0] as number;
  const every = Math.max(1, Math.ceil(count / limit));
  return rows(db,
    `SELECT id, block, block_time FROM (
       SELECT id, block, block_time, ROW_NUMBER() OVER (ORDER BY block DESC) - 1 AS back
       FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND complete = 1 AND block BETWEEN ? AND ?)
     WHERE back % ? = 0 ORDER BY block`,
    [netuid, genesisKey(chain), from, to, every]).map(([id, block, time]) => ({ id: id as number, block: block as number, time: time as number }));
}

/**
 * The days of a range that only the daily rollups cover: those before the day of the first raw snapshot (a day the
 * raw snapshots reach is drawn from them, never twice), each with its newest block. Read from the snapshot headers,
 * which outlive their rows as long as the rollups do, and are a hundredth of the rollups' rows. `withIps`: only the
 * days whose every snapshot was rolled up with its axons (IP groups; days rolled up before that have no IP counts).
 */
export function rollupDays(db: SqlDatabase, netuid: number, chain: ChainScope, range: BlockRange, withIps = false): { day: number; block: number }[] {
  const [from, to] = blockBounds(range);
  const raw = firstRaw(db, netuid, chain, range);
  const beforeDay = raw === null ? Number.MAX_SAFE_INTEGER : Math.floor(raw.time / SECONDS_PER_DAY);
  return rows(db,
    `SELECT block_time / ${SECONDS_PER_DAY} AS day, MAX(block) FROM bittensor_snapshots
     WHERE netuid = ? AND ${onChainSql()} AND block BETWEEN ? AND ? AND block_time < ? GROUP BY day
     ${withIps ? 'HAVING MIN(ip_rolled) = 1' : ''} ORDER BY day`,
    [netuid, genesisKey(chain), from, to, beforeDay * SECONDS_PER_DAY]).map(([day, block]) => ({ day: day as number, block: block as number }));
}

/** The oldest complete (raw) snapshot of a range: where raw points start and daily ones stop. */
export function firstRaw(db: SqlDatabase, netuid: number, chain: ChainScope, range: BlockRange): { block: number; time: number } | null {
  const [from, to] = blockBounds(range);
  const found = rows(db,
    `SELECT block, block_time FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND complete = 1 AND block BETWEEN ? AND ? ORDER BY block LIMIT 1`,
    [netuid, genesisKey(chain), from, to])[0];
  return found ? { block: found[0] as number, time: found[1] as number } : null;
}