import type { BittensorStore, SubnetHistoryStore } from '../../bittensor/bittensorStore';
import { createPgChainStore, currentGenesis, readScope } from './pgBittensorChain';
import { createPgBittensorRetention } from './pgBittensorRetention';
import { pgAnimationFrames } from './pgAnimationFrames';
import { pgChurnHistory } from './pgChurnHistory';
import { pgGroups, pgGroupSeries } from './pgGroupQueries';
import { pgBlockRangeOf } from './pgHistorySql';
import { PgSnapshotStore } from './pgSnapshotStore';
import { createPgSubnetStore } from './pgSubnetStore';
import { pgSubnetOverview } from './pgSubnetOverview';
import { pgTraces } from './pgTraceQuery';
import type { PgPool } from './pgTransaction';

/**
 * The Bittensor store over a team's PostgreSQL server (issue 14): the same answers as the sql.js adapter
 * (sqliteBittensorStore.ts) for the same snapshots, from the schema in pgBittensorMigrations.ts (run it first).
 * Reads take a pooled connection each; a write that must be whole (a snapshot, a subnet list, a retention run, a
 * chain switch) is one transaction. `readOnly`: Storage.readOnlyReason is set, so retention removes nothing.
 */
export function createPgBittensorStore(pool: PgPool, options: { readonly readOnly?: boolean } = {}): BittensorStore {
  const snapshots = new PgSnapshotStore(pool);
  return {
    snapshots,
    subnets: createPgSubnetStore(pool),
    chain: createPgChainStore(pool),
    history: createPgSubnetHistory(pool, snapshots),
    retention: createPgBittensorRetention(pool, options.readOnly),
  };
}

/** subnetHistoryRepo.ts on PostgreSQL: every read of the current chain, a time range turned into blocks once per read. */
function createPgSubnetHistory(pool: PgPool, snapshots: PgSnapshotStore): SubnetHistoryStore {
  const scoped = async (netuid: number, range: Parameters<typeof pgBlockRangeOf>[3]) => {
    const chain = await readScope(pool, await currentGenesis(pool));
    return { chain, blocks: await pgBlockRangeOf(pool, netuid, chain, range) };
  };
  return {
    async overview(netuid, headBlock, range = {}) {
      const { chain, blocks } = await scoped(netuid, range);
      return pgSubnetOverview(pool, netuid, chain, headBlock, blocks);
    },
    async groups(netuid, by, range, page) {
      const { chain, blocks } = await scoped(netuid, range);
      return pgGroups(pool, snapshots, netuid, chain, by, blocks, range.block, page);
    },
    async groupSeries(netuid, by, choice, range, maxPoints) {
      const { chain, blocks } = await scoped(netuid, range);
      return pgGroupSeries(pool, snapshots, netuid, chain, by, choice, blocks, maxPoints);
    },
    async churn(netuid, range, limit) {
      const { chain, blocks } = await scoped(netuid, range);
      return pgChurnHistory(pool, netuid, chain, blocks, limit);
    },
    async traces(netuid, field, selection, range, maxPoints) {
      const { chain, blocks } = await scoped(netuid, range);
      return pgTraces(pool, snapshots, netuid, chain, field, selection, blocks, maxPoints);
    },
    async frames(netuid, role, range, page) {
      const { chain, blocks } = await scoped(netuid, range);
      return pgAnimationFrames(pool, netuid, chain, role, blocks, page);
    },
  };
}
