import type pg from 'pg';
import type { BittensorRetentionStore, RetentionPolicy, RetentionResult } from '../../bittensor/bittensorStore';
import { pgColumn, pgRows } from './pgReader';
import { prunePoints } from './pgSubnetStore';
import { BITTENSOR_WRITE_LOCK, inPgTransaction, type PgPool } from './pgTransaction';

/**
 * Retention of the Bittensor rows on PostgreSQL: snapshotRetention.ts's rules (read its comments), with batched
 * statements: the snapshots past the raw window are thinned by one DELETE over all of them, not one per snapshot.
 */

/** Header `t` is of the same chain as header `s`, in the unique index's terms. */
const SAME_CHAIN = "COALESCE(t.genesis, '') = COALESCE(s.genesis, '')";
const NOT_NEWEST = `block < (SELECT MAX(block) FROM bittensor_snapshots t WHERE t.netuid = s.netuid AND ${SAME_CHAIN})`;
/** The size budget's estimate of a neuron row's bytes, as the sql.js side counts it. */
const BYTES_PER_ROW = 48;

/** `readOnly`: the store may not be written here (Storage.readOnlyReason, asked once at open). */
export function createPgBittensorRetention(pool: PgPool, readOnly = false): BittensorRetentionStore {
  return {
    async apply(policy: RetentionPolicy): Promise<RetentionResult> {
      // As the Nostr retention: a role that may not write the store (a viewer) leaves retention to the collectors.
      if (readOnly) return { neuronRows: 0, rollupRows: 0, snapshots: 0 };
      const rawCutoff = policy.now - policy.rawWindowHours * 3_600;
      const dayCutoff = Math.floor((policy.now - policy.historyDays * 86_400) / 86_400);
      return inPgTransaction(pool, async (client) => {
        const pinned = await pinnedIds(client, policy.pinnedHotkeys);
        const old = await pgColumn<number>(client, `SELECT id FROM bittensor_snapshots s WHERE complete = 1 AND block_time < $1 AND ${NOT_NEWEST}`, [rawCutoff]);
        const neuronRows = await thin(client, old, pinned);
        const rollups = await client.query('DELETE FROM bittensor_uid_days WHERE day < $1 AND NOT (hotkey_id = ANY($2::bigint[]))', [dayCutoff, pinned]);
        // Headers of incomplete snapshots past the history window with no rows left go too.
        const headers = await client.query(`DELETE FROM bittensor_snapshots s WHERE complete = 0 AND block_time < $1
          AND NOT EXISTS (SELECT 1 FROM bittensor_neurons n WHERE n.snapshot_id = s.id)`, [dayCutoff * 86_400]);
        return { neuronRows, rollupRows: rollups.rowCount ?? 0, snapshots: headers.rowCount ?? 0 };
      }, BITTENSOR_WRITE_LOCK);
    },
    async evictOldest(bytes: number, pinnedHotkeys: readonly string[]): Promise<number> {
      return inPgTransaction(pool, async (client) => {
        const pinned = await pinnedIds(client, pinnedHotkeys);
        const candidates = await pgColumn<number>(client, `SELECT id FROM bittensor_snapshots s WHERE complete = 1 AND ${NOT_NEWEST} ORDER BY block_time, block`);
        let removed = 0;
        for (const id of candidates) {
          if (removed * BYTES_PER_ROW >= bytes) break;
          removed += await thin(client, [id], pinned);
        }
        return removed;
      }, BITTENSOR_WRITE_LOCK);
    },
    prunePoints: async (beforeBlock) => (readOnly ? 0 : prunePoints(pool, beforeBlock)),
  };
}

/** Removes the snapshots' rows but the pinned hotkeys' and marks them incomplete; resolves to the rows removed. */
async function thin(client: pg.PoolClient, snapshotIds: readonly number[], pinned: readonly number[]): Promise<number> {
  if (snapshotIds.length === 0) return 0;
  const removed = await client.query('DELETE FROM bittensor_neurons WHERE snapshot_id = ANY($1::bigint[]) AND NOT (hotkey_id = ANY($2::bigint[]))',
    [snapshotIds, pinned]);
  await client.query('UPDATE bittensor_snapshots SET complete = 0 WHERE id = ANY($1::bigint[])', [snapshotIds]);
  return removed.rowCount ?? 0;
}

async function pinnedIds(client: pg.PoolClient, hotkeys: readonly string[]): Promise<number[]> {
  if (hotkeys.length === 0) return [];
  return (await pgRows<[number]>(client, 'SELECT id FROM bittensor_keys WHERE ss58 = ANY($1::text[])', [[...hotkeys]])).map(([id]) => id);
}
