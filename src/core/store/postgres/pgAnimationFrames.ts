import { FRAMES_PAGE_DEFAULT, FRAMES_PAGE_MAX } from '../../bittensor/animationQuery';
import { genesisKey, type ChainScope } from '../../bittensor/chainGenesisScope';
import { blockBounds, boundedCount, oneOf, RAO, U16 } from '../../bittensor/historySql';
import type { AnimationFrame, AnimationFrames, AnimationRole, BlockRange } from '../../bittensor/subnetHistoryModel';
import { pgKeysById } from './pgHistorySql';
import { pgRows, pgValue, type PgReader } from './pgReader';

/** animationQuery.ts on PostgreSQL: a page of frames, one per complete snapshot, keys as indices into the page's dictionaries. */
export async function pgAnimationFrames(
  db: PgReader, netuid: number, chain: ChainScope, role: AnimationRole, range: BlockRange, page: { readonly offset?: number; readonly limit?: number } = {},
): Promise<AnimationFrames> {
  oneOf(role, ['miners', 'validators'], 'role');
  const [from, to] = blockBounds(range);
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  const limit = boundedCount(page.limit, FRAMES_PAGE_DEFAULT, FRAMES_PAGE_MAX);
  const genesis = genesisKey(chain);
  const total = (await pgValue<number>(db,
    "SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = $1 AND COALESCE(genesis, '') = $2 AND complete = 1 AND block BETWEEN $3 AND $4",
    [netuid, genesis, from, to]))!;
  // UIDs in UID order within a frame, as sql.js reads them off the (snapshot, uid) key.
  const found = await pgRows<[number, number, [number, number, number, number, number, number][] | null]>(db,
    `SELECT s.block, s.block_time,
       (SELECT json_agg(json_build_array(n.uid, n.hotkey_id, n.coldkey_id, n.stake_total, n.incentive, n.dividends) ORDER BY n.uid)
        FROM bittensor_neurons n WHERE n.snapshot_id = s.id AND ((n.flags >> 1) & 1) = $5)
     FROM bittensor_snapshots s WHERE s.netuid = $1 AND COALESCE(s.genesis, '') = $2 AND s.complete = 1 AND s.block BETWEEN $3 AND $4
     ORDER BY s.block LIMIT $6 OFFSET $7`,
    [netuid, genesis, from, to, role === 'validators' ? 1 : 0, limit, offset]);
  const hotkeyIndex = new Map<number, number>();
  const coldkeyIndex = new Map<number, number>();
  const indexOf = (map: Map<number, number>, id: number) => {
    let at = map.get(id);
    if (at === undefined) map.set(id, (at = map.size));
    return at;
  };
  const frames: AnimationFrame[] = found.map(([block, time, found]) => {
    const uids = found ?? [];
    return {
      block,
      time,
      uids: uids.map((row) => row[0]),
      hotkeys: uids.map((row) => indexOf(hotkeyIndex, row[1])),
      coldkeys: uids.map((row) => indexOf(coldkeyIndex, row[2])),
      stake: uids.map((row) => row[3] / RAO),
      incentive: uids.map((row) => row[4] / U16),
      dividends: uids.map((row) => row[5] / U16),
    };
  });
  const keys = await pgKeysById(db, [...hotkeyIndex.keys(), ...coldkeyIndex.keys()]);
  return {
    netuid,
    role,
    total,
    offset,
    hotkeys: [...hotkeyIndex.keys()].map((id) => keys.get(id)!),
    coldkeys: [...coldkeyIndex.keys()].map((id) => keys.get(id)!),
    frames,
  };
}
