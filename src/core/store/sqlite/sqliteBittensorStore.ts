import type { Database as SqlDatabase } from 'sql.js';
import type { BittensorStore } from '../../bittensor/bittensorStore';
import { ChainGenesisRepo } from './bittensor/chainGenesisRepo';
import { SnapshotRepo } from './bittensor/snapshotRepo';
import { applyRetention, evictOldestSnapshots } from './bittensor/snapshotRetention';
import { SubnetHistoryRepo } from './bittensor/subnetHistoryRepo';
import { SubnetRepo } from './bittensor/subnetRepo';
import { subnetSummaries } from './bittensor/subnetSummaries';

/**
 * The Bittensor store over the embedded sql.js database. The synchronous repos stay the engine room (their SQL and
 * their tests are SQLite's); this adapter only lends them the seam's asynchronous shape. Methods are `async` so that
 * a repo's throw (a refused argument, a failed statement) reaches the caller as a rejection, as a server's would.
 * One SnapshotRepo serves every domain: it caches key and axon ids that a second instance would not see change.
 */
export function createSqliteBittensorStore(db: SqlDatabase): BittensorStore {
  const snapshots = new SnapshotRepo(db);
  const subnets = new SubnetRepo(db);
  const chain = new ChainGenesisRepo(db);
  const history = new SubnetHistoryRepo(db, snapshots, subnets, chain);
  return {
    snapshots: {
      save: async (snapshot, times, genesis) => snapshots.save(snapshot, times, genesis),
      list: async (netuid, limit, scope) => snapshots.list(netuid, limit, scope),
      find: async (netuid, block, scope) => snapshots.find(netuid, block, scope),
      latestTwo: async (netuid, scope) => snapshots.latestTwo(netuid, scope),
      netuids: async () => snapshots.netuids(),
      latestBlock: async (netuid, scope) => snapshots.latestBlock(netuid, scope),
      facts: async (info) => snapshots.facts(info),
      read: async (info, hotkeys) => snapshots.read(info, hotkeys),
    },
    subnets: {
      replaceListing: async (listings, block, genesis) => subnets.replaceListing(listings, block, genesis),
      listing: async () => subnets.listing(chain.onCurrent()),
      addPoint: async (netuid, block, burnRao, priceTao, uids, genesis) => subnets.addPoint(netuid, block, burnRao, priceTao, uids, genesis),
      summaries: async (tracked, headBlock) => subnetSummaries(db, subnets, tracked, headBlock, chain),
    },
    chain: {
      current: async () => chain.current(),
      scope: async () => chain.scope(),
      connectedTo: async (genesis) => chain.connectedTo(genesis),
      latestBlock: async (netuid, before) => chain.latestBlock(netuid, before),
      netuids: async () => chain.netuids(),
      elsewhere: async () => chain.elsewhere(),
    },
    history: {
      overview: async (netuid, headBlock, range) => history.overview(netuid, headBlock, range),
      groups: async (netuid, by, range, page) => history.groups(netuid, by, range, page),
      groupSeries: async (netuid, by, choice, range, maxPoints) => history.groupSeries(netuid, by, choice, range, maxPoints),
      churn: async (netuid, range, limit) => history.churn(netuid, range, limit),
      traces: async (netuid, field, selection, range, maxPoints) => history.traces(netuid, field, selection, range, maxPoints),
      frames: async (netuid, role, range, page) => history.frames(netuid, role, range, page),
    },
    retention: {
      apply: async (policy) => applyRetention(db, policy),
      evictOldest: async (bytes, pinnedHotkeys) => evictOldestSnapshots(db, bytes, pinnedHotkeys),
      prunePoints: async (beforeBlock) => subnets.prunePoints(beforeBlock),
    },
  };
}
