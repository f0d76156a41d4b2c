import * as vscode from 'vscode';
import type { DvmSummary, KindSummary } from '../protocol/nostrProtocol';
import type { EngineRequester } from './engineRequester';
import { untrustedText } from '../core/util/untrustedText';
import type { EngineStatus } from '../protocol/engineProtocol';
import { COUNT_MEANINGS, dateTime, jobCounts, nameOrKey, percent, plural, tooltipTable } from './format';
import type { RelayState } from './sourceState';
import { sameRows, sourceStateRows, stateItem, type StateRow } from './sourceStateRows';
import { refreshChangedRows, TreeRefresher } from './treeRefresher';

export type KindNode =
  | { readonly type: 'kind'; summary: KindSummary }
  | { readonly type: 'dvm'; readonly kind: number; readonly dvm: DvmSummary }
  | StateRow;

/** Job kinds (5000–5999) by traffic; each expands to the DVMs serving it. Kind rows update in place. */
export class KindTreeProvider implements vscode.TreeDataProvider<KindNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<KindNode>(250);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private relays: RelayState = { kind: 'starting' };
  private coverage: EngineStatus['coverage'] | undefined;
  private readonly nodes = new Map<number, Extract<KindNode, { type: 'kind' }>>();

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  /** An empty view says why it is empty (sourceStateRows.ts); drawn again when that changes while it is empty. */
  setRelayState(state: RelayState): void {
    const changed = !sameRows(state, this.relays);
    this.relays = state;
    if (changed && this.nodes.size === 0) this.refresher.refresh();
  }

  /** What period the figures cover, for the tooltips (EngineStatus.coverage). */
  setCoverage(coverage: EngineStatus['coverage']): void {
    this.coverage = coverage;
  }

  /** Called with the kinds named by a `nostr.changed` notification. */
  changed(kinds: readonly number[]): Promise<void> {
    return refreshChangedRows(kinds, this.nodes, this.refresher, async (kind, node) => {
      const detail = await this.engine.request('nostr.kind', { kind });
      if (detail) node.summary = detail.summary;
    }, this.onError);
  }

  getTreeItem(node: KindNode): vscode.TreeItem {
    if (node.type === 'state') return stateItem(node);
    if (node.type === 'kind') {
      const { summary } = node;
      // A kind the registry does not know is named by what a DVM announced: untrusted.
      const item = new vscode.TreeItem(`${summary.kind} ${untrustedText(summary.name)}`.trim(), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `kind:${summary.kind}`;
      item.description = `${plural(summary.requests, 'request')} · ${plural(summary.dvms, 'DVM')}`;
      item.iconPath = new vscode.ThemeIcon('symbol-enum');
      item.contextValue = 'kind';
      item.tooltip = tooltipTable(`Kind ${summary.kind} ${summary.name}`, [
        ['Requests', `${summary.requests} — ${COUNT_MEANINGS.requests}`],
        ['Results', String(summary.results)],
        ['DVMs', `${summary.dvms} — ${COUNT_MEANINGS.dvms}`],
        ['Unique users', String(summary.users)],
        ['Period', periodOf(this.coverage)],
      ]);
      return item;
    }
    const label = nameOrKey(node.dvm.name, node.dvm.npub);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `kind:${node.kind}:dvm:${node.dvm.pubkey}`;
    // The DVM's own figures over all its kinds, as its DVMs row shows them, and labelled so.
    item.description = `${jobCounts(node.dvm.jobs, node.dvm.waiting)} (all kinds) · ${percent(node.dvm.successRate)} success`;
    item.iconPath = new vscode.ThemeIcon('server-process');
    item.tooltip = tooltipTable(label, [
      ['Pubkey', node.dvm.npub], ['Status', node.dvm.status],
      ['Jobs (all kinds)', `${node.dvm.jobs} — ${COUNT_MEANINGS.jobs}`], ['Waiting (all kinds)', `${node.dvm.waiting} — ${COUNT_MEANINGS.waiting}`],
    ]);
    return item;
  }

  async getChildren(node?: KindNode): Promise<KindNode[]> {
    try {
      if (!node) {
        if (this.relays.kind === 'failed') return sourceStateRows('kinds', this.relays);
        const summaries = await this.engine.request('nostr.kinds', {});
        if (summaries.length === 0) return sourceStateRows('kinds', this.relays);
        this.nodes.clear();
        return summaries.map((summary) => {
          const created = { type: 'kind' as const, summary };
          this.nodes.set(summary.kind, created);
          return created;
        });
      }
      if (node.type === 'kind') {
        const detail = await this.engine.request('nostr.kind', { kind: node.summary.kind });
        return (detail?.dvms ?? []).map((dvm) => ({ type: 'dvm' as const, kind: node.summary.kind, dvm }));
      }
      return [];
    } catch (error) {
      this.onError(error);
      return [];
    }
  }

  dispose(): void {
    this.refresher.dispose();
  }
}

/** Figures count since this database started collecting, plus the history backfilled; older events were never fetched. */
function periodOf(coverage: EngineStatus['coverage'] | undefined): string {
  if (!coverage) return 'since Swarmscope started collecting';
  const since = coverage.collectingSince === undefined ? '' : ` on ${dateTime(coverage.collectingSince)}`;
  const backfill = coverage.backfillDays ?? 0;
  const asked = backfill > 0
    ? `relays are asked for the last ${coverage.rawWindowHours} h in full and for ${backfill} days of history in the background, so events older than that are not fetched`
    : `relays are asked for the last ${coverage.rawWindowHours} h only, so older events are not fetched`;
  return `since Swarmscope started collecting${since}; ${asked} (Swarmscope: Import Events… brings them in)`;
}
