import type { BittensorStore } from './bittensorStore';
import { SECONDS_PER_BLOCK, type MetagraphSnapshot } from './model';

/**
 * The one way a snapshot enters the store, whether read at the head, backfilled, or built by a test: the snapshot
 * with its rollups, and the subnet's register cost, price and UIDs at that block (the 24 h changes read those), all
 * under the chain it was read from (`genesis`, null when the reader did not know it).
 */
export async function recordSnapshot(
  store: Pick<BittensorStore, 'snapshots' | 'subnets'>,
  snapshot: MetagraphSnapshot,
  clock: { readonly now: number; readonly headBlock: number | null },
  genesis: string | null = null,
): Promise<{ readonly snapshotId: number; readonly blockTime: number }> {
  // A past block's time is estimated from the head at 12 s a block: the chain keeps no timestamp we read with it.
  const blockTime = clock.now - Math.max(0, (clock.headBlock ?? snapshot.block) - snapshot.block) * SECONDS_PER_BLOCK;
  const snapshotId = await store.snapshots.save(snapshot, { takenAt: clock.now, blockTime }, genesis);
  const burnRao = snapshot.burnTao === null ? null : Math.round(snapshot.burnTao * 1e9);
  await store.subnets.addPoint(snapshot.netuid, snapshot.block, burnRao, snapshot.priceTao, snapshot.n, genesis);
  return { snapshotId, blockTime };
}
