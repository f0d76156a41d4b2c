import type { Database as SqlDatabase } from 'sql.js';
import { rows } from '../sqlRows';
import type { RetentionPolicy, RetentionResult } from '../../../bittensor/bittensorStore';

/**
 * Retention of Bittensor data (DESIGN.md "Data kept"): full snapshots for the raw window, per-UID daily rollups
 * for the history window, and the rows of pinned hotkeys kept in full throughout. A snapshot past the window keeps
 * its header and its pinned rows and is marked incomplete; the newest snapshot of each subnet on each chain is never
 * touched (another chain's higher block numbers say nothing about this chain's newest).
 */
/** Header `t` is of the same chain as header `s`, in the unique index's terms. */
const SAME_CHAIN = "IFNULL(t.genesis, '') = IFNULL(s.genesis, '')";

export function applyRetention(db: SqlDatabase, policy: RetentionPolicy): RetentionResult {
  const rawCutoff = policy.now - policy.rawWindowHours * 3_600;
  const dayCutoff = Math.floor((policy.now - policy.historyDays * 86_400) / 86_400);
  const pinned = pinnedIds(db, policy.pinnedHotkeys);
  db.run('BEGIN');
  try {
    const old = rows(db,
      `SELECT id FROM bittensor_snapshots s WHERE complete = 1 AND block_time < ?
         AND block < (SELECT MAX(block) FROM bittensor_snapshots t WHERE t.netuid = s.netuid AND ${SAME_CHAIN})`, [rawCutoff]).map((row) => row[0] as number);
    const neuronRows = thinSnapshots(db, old, pinned);
    db.run(`DELETE FROM bittensor_uid_days WHERE day < ?${exceptPinned(pinned)}`, [dayCutoff, ...pinned]);
    const rollupRows = db.getRowsModified();
    // Headers of incomplete snapshots past the history window with no rows left go too.
    db.run(`DELETE FROM bittensor_snapshots WHERE complete = 0 AND block_time < ? AND NOT EXISTS (SELECT 1 FROM bittensor_neurons n WHERE n.snapshot_id = bittensor_snapshots.id)`,
      [dayCutoff * 86_400]);
    const snapshots = db.getRowsModified();
    db.run('COMMIT');
    return { neuronRows, rollupRows, snapshots };
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
}

/**
 * The size budget's share: thins the oldest complete snapshots (keeping pinned rows and each subnet's newest
 * snapshot) until about `bytes` are freed. Returns the rows removed.
 */
export function evictOldestSnapshots(db: SqlDatabase, bytes: number, pinnedHotkeys: readonly string[], bytesPerRow = 48): number {
  const pinned = pinnedIds(db, pinnedHotkeys);
  const candidates = rows(db,
    `SELECT id, n FROM bittensor_snapshots s WHERE complete = 1
       AND block < (SELECT MAX(block) FROM bittensor_snapshots t WHERE t.netuid = s.netuid AND ${SAME_CHAIN})
     ORDER BY block_time, block`);
  let removed = 0;
  db.run('BEGIN');
  try {
    for (const [id] of candidates) {
      if (removed * bytesPerRow >= bytes) break;
      removed += thinSnapshots(db, [id as number], pinned);
    }
    db.run('COMMIT');
  } catch (error) {
    db.run('ROLLBACK');
    throw error;
  }
  return removed;
}

function thinSnapshots(db: SqlDatabase, snapshotIds: readonly number[], pinned: readonly number[]): number {
  let removed = 0;
  for (const id of snapshotIds) {
    db.run(`DELETE FROM bittensor_neurons WHERE snapshot_id = ?${exceptPinned(pinned)}`, [id, ...pinned]);
    removed += db.getRowsModified();
    db.run('UPDATE bittensor_snapshots SET complete = 0 WHERE id = ?', [id]);
  }
  return removed;
}

/** `NOT IN (NULL)` matches nothing in SQL, so an empty pin list must drop the clause rather than list NULL. */
function exceptPinned(pinned: readonly number[]): string {
  return pinned.length === 0 ? '' : ` AND hotkey_id NOT IN (${pinned.map(() => '?').join(',')})`;
}

function pinnedIds(db: SqlDatabase, hotkeys: readonly string[]): number[] {
  if (hotkeys.length === 0) return [];
  return rows(db, `SELECT id FROM bittensor_keys WHERE ss58 IN (${hotkeys.map(() => '?').join(',')})`, [...hotkeys]).map((row) => row[0] as number);
}
