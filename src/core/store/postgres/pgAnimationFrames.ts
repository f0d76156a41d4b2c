import { FRAMES_PAGE_DEFAULT, FRAMES_PAGE_MAX } from '../../bittensor/animationBounds';
import { genesisKey, type ChainScope } from '../../bittensor/chainGenesisScope';
import { animationPage, framesOf } from '../../bittensor/animationRows';
import { blockBounds, boundedCount, oneOf } from '../../bittensor/historyBounds';
import type { AnimationFrames, AnimationRole, BlockRange } from '../../bittensor/subnetHistoryModel';
import { pgKeysById } from './pgHistorySql';
import { pgRows, pgValue, type PgReader } from './pgReader';

/** sqliteAnimationFrames.ts on PostgreSQL: a page of frames, one per complete snapshot, built by the shared animationRows.ts. */
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
  const built = framesOf(found.map(([block, time, uids]) => [block, time, uids ?? []] as const));
  return animationPage(netuid, role, total, offset, built, await pgKeysById(db, [...built.hotkeyIds, ...built.coldkeyIds]));
}
