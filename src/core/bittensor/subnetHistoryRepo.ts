import type { Database as SqlDatabase } from 'sql.js';
import { animationFrames } from './animationQuery';
import type { ChainGenesisRepo } from './chainGenesisRepo';
import { churnHistory } from './churnHistoryQuery';
import { groupingHistory, groupSeries, groupsTable } from './groupQueries';
import { blockRangeOf } from './historySql';
import { subnetOverview } from './overviewQuery';
import type { SnapshotInfo, SnapshotRepo } from './snapshotRepo';
import type { AnimationRole, GroupBy, HistoryRange, TraceField, TraceSelection } from './subnetHistoryModel';
import type { SubnetRepo } from './subnetRepo';
import { traces } from './traceQuery';

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

  overview(netuid: number, headBlock: number | null) {
    return subnetOverview(this.db, this.subnets, netuid, this.chains.scope(), headBlock);
  }

  /** `info` is a snapshot of the current chain (SnapshotRepo.find with its scope). */
  groups(info: SnapshotInfo, by: GroupBy, page: { limit?: number; offset?: number; historyLimit?: number }) {
    return {
      ...groupsTable(this.db, info, by, page.limit, page.offset),
      history: groupingHistory(this.db, info.netuid, this.chains.scope(), by, { toBlock: info.block }, page.historyLimit),
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
