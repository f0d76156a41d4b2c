import type { Database as SqlDatabase } from 'sql.js';
import { rows } from '../sqlRows';
import { genesisKey, type ChainScope } from '../../../bittensor/chainGenesisScope';
import { onChainSql } from './sqliteOnChain';
import { animationPage, framesOf, type FrameRow } from '../../../bittensor/animationRows';
import { blockBounds, boundedCount, oneOf } from '../../../bittensor/historyBounds';
import { jsonResult, keysById } from './sqliteHistoryReads';
import type { AnimationFrames, AnimationRole, BlockRange } from '../../../bittensor/subnetHistoryModel';
import { FRAMES_PAGE_DEFAULT, FRAMES_PAGE_MAX } from '../../../bittensor/animationBounds';

/**
 * The animation's frames: one per complete snapshot of the range, oldest first, paged (`offset`, `limit`). Each
 * frame holds the UIDs of one role (validators: a permit; miners: none) with stake, incentive and dividends; hotkeys
 * and coldkeys are indices into the page's dictionaries, so that a key repeated over 64 frames is sent once.
 */
export function animationFrames(
  db: SqlDatabase,
  netuid: number,
  chain: ChainScope,
  role: AnimationRole,
  range: BlockRange,
  page: { readonly offset?: number; readonly limit?: number } = {},
): AnimationFrames {
  oneOf(role, ['miners', 'validators'], 'role');
  const [from, to] = blockBounds(range);
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  const limit = boundedCount(page.limit, FRAMES_PAGE_DEFAULT, FRAMES_PAGE_MAX);
  const total = rows(db, `SELECT COUNT(*) FROM bittensor_snapshots WHERE netuid = ? AND ${onChainSql()} AND complete = 1 AND block BETWEEN ? AND ?`,
    [netuid, genesisKey(chain), from, to])[0][0] as number;
  const found = jsonResult<FrameRow[]>(db,
    `SELECT json_group_array(json_array(block, block_time, json(uids))) FROM (
       SELECT s.block, s.block_time,
         (SELECT json_group_array(json_array(n.uid, n.hotkey_id, n.coldkey_id, n.stake_total, n.incentive, n.dividends))
          FROM bittensor_neurons n WHERE n.snapshot_id = s.id AND ((n.flags >> 1) & 1) = ?) AS uids
       FROM bittensor_snapshots s WHERE s.netuid = ? AND ${onChainSql('s.')} AND s.complete = 1 AND s.block BETWEEN ? AND ?
       ORDER BY s.block LIMIT ? OFFSET ?)`,
    [role === 'validators' ? 1 : 0, netuid, genesisKey(chain), from, to, limit, offset]) ?? [];
  const built = framesOf(found);
  return animationPage(netuid, role, total, offset, built, keysById(db, [...built.hotkeyIds, ...built.coldkeyIds]));
}
