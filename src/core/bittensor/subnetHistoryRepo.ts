import type { Database as SqlDatabase } from 'sql.js';
import { animationFrames } from './animationQuery';
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
 */
export class SubnetHistoryRepo {
  constructor(
    private readonly db: SqlDatabase,
    private readonly snapshots: SnapshotRepo,
    private readonly subnets: SubnetRepo,
  ) {}

  overview(netuid: number, headBlock: number | null) {
    return subnetOverview(this.db, this.subnets, netuid, headBlock);
  }

  groups(info: SnapshotInfo, by: GroupBy, page: { limit?: number; offset?: number; historyLimit?: number }) {
    return {
      ...groupsTable(this.db, info, by, page.limit, page.offset),
      history: groupingHistory(this.db, info.netuid, by, { toBlock: info.block }, page.historyLimit),
    };
  }

  groupSeries(netuid: number, by: GroupBy, choice: { keys?: readonly string[]; top?: number }, range: HistoryRange, maxPoints?: number) {
    return groupSeries(this.db, this.snapshots, netuid, by, choice, blockRangeOf(this.db, netuid, range), maxPoints);
  }

  churn(netuid: number, range: HistoryRange, limit?: number) {
    return churnHistory(this.db, netuid, blockRangeOf(this.db, netuid, range), limit);
  }

  traces(netuid: number, field: TraceField, selection: TraceSelection, range: HistoryRange, maxPoints?: number) {
    return traces(this.db, this.snapshots, netuid, field, selection, blockRangeOf(this.db, netuid, range), maxPoints);
  }

  frames(netuid: number, role: AnimationRole, range: HistoryRange, page: { offset?: number; limit?: number }) {
    return animationFrames(this.db, netuid, role, blockRangeOf(this.db, netuid, range), page);
  }
}
