import type { Database as SqlDatabase } from 'sql.js';
import { animationFrames } from './sqliteAnimationFrames';
import type { ChainGenesisRepo } from './chainGenesisRepo';
import { churnHistory } from './sqliteChurnHistory';
import { groupingHistory, groupSeries, groupsTable } from './sqliteGroupQueries';
import { blockRangeOf } from './sqliteHistoryReads';
import { subnetOverview } from './overviewQuery';
import type { SnapshotRepo } from './snapshotRepo';
import type { AnimationRole, GroupBy, HistoryRange, TraceField, TraceSelection } from '../../../bittensor/subnetHistoryModel';
import type { SubnetRepo } from './subnetRepo';
import { traces } from './sqliteTraces';

/**
 * A subnet over time (issue 13's dashboards): every history read behind one object, so the engine module speaks in
 * netuids and ranges and never holds the database handle; a time range is turned into blocks here, once per read.
 * Every read is of the chain the endpoint last connected to (ChainGenesisRepo.scope), never of another chain's rows.
 */
export class SubnetHistoryRepo {
  constructor(
    private readonly db: SqlDatabase,
    private readonly snapshots: SnapshotRepo,
    private readonly subnets: SubnetRepo,
    private readonly chains: ChainGenesisRepo,
  ) {}

  /** The overview as of the newest snapshot of the range (all of it by default), compared inside the range. */
  overview(netuid: number, headBlock: number | null, range: HistoryRange = {}) {
    const chain = this.chains.scope();
    return subnetOverview(this.db, this.subnets, netuid, chain, headBlock, blockRangeOf(this.db, netuid, chain, range));
  }

  /**
   * The groups of the range's newest snapshot (or of the snapshot at `block`, or the newest before it) and the
   * grouping over the range up to it; null without such a snapshot.
   */
  groups(netuid: number, by: GroupBy, range: HistoryRange & { block?: number }, page: { limit?: number; offset?: number; historyLimit?: number }) {
    const chain = this.chains.scope();
    const blocks = blockRangeOf(this.db, netuid, chain, range);
    const toBlock = Math.min(blocks.toBlock ?? Number.MAX_SAFE_INTEGER, range.block ?? Number.MAX_SAFE_INTEGER);
    const info = this.snapshots.find(netuid, toBlock, chain);
    if (!info || (blocks.fromBlock !== undefined && info.block < blocks.fromBlock)) return null;
    return {
      ...groupsTable(this.db, info, by, page.limit, page.offset),
      history: groupingHistory(this.db, netuid, chain, by, { ...blocks, toBlock: info.block }, page.historyLimit),
    };
  }

  groupSeries(netuid: number, by: GroupBy, choice: { keys?: readonly string[]; top?: number }, range: HistoryRange, maxPoints?: number) {
    const chain = this.chains.scope();
    return groupSeries(this.db, this.snapshots, netuid, chain, by, choice, blockRangeOf(this.db, netuid, chain, range), maxPoints);
  }

  churn(netuid: number, range: HistoryRange, limit?: number) {
    const chain = this.chains.scope();
    return churnHistory(this.db, netuid, chain, blockRangeOf(this.db, netuid, chain, range), limit);
  }

  traces(netuid: number, field: TraceField, selection: TraceSelection, range: HistoryRange, maxPoints?: number) {
    const chain = this.chains.scope();
    return traces(this.db, this.snapshots, netuid, chain, field, selection, blockRangeOf(this.db, netuid, chain, range), maxPoints);
  }

  frames(netuid: number, role: AnimationRole, range: HistoryRange, page: { offset?: number; limit?: number }) {
    const chain = this.chains.scope();
    return animationFrames(this.db, netuid, chain, role, blockRangeOf(this.db, netuid, chain, range), page);
  }
}
