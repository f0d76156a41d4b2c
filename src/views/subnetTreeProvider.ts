import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { NeuronGroup, NeuronPage, NeuronRow, NeuronSort, SubnetListStatus, SubnetSummary } from '../protocol/bittensorProtocol';
import type { EngineRequester } from './engineRequester';
import { untrustedText } from '../core/util/untrustedText';
import { alpha, shortKey, tao, tooltipTable } from './format';
import { subnetNoticeItem, subnetNotices, type SubnetNotice } from './subnetNotices';
import { TreeRefresher } from './treeRefresher';

export type UidSort = NeuronSort;

export type SubnetNode =
  | { readonly type: 'notice'; readonly notice: SubnetNotice }
  | { readonly type: 'subnet'; summary: SubnetSummary }
  | { readonly type: 'group'; readonly netuid: number; readonly group: 'validators' | 'uids' }
  | { readonly type: 'filter'; readonly netuid: number; readonly filter: string }
  | { readonly type: 'neuron'; readonly netuid: number; readonly group: 'validators' | 'uids'; readonly neuron: NeuronRow; readonly block: number };

type NeuronNode = Extract<SubnetNode, { type: 'neuron' }>;

/** UIDs shown under a subnet at once; the filter (or Find Hotkey or UID) reaches the others. */
const UID_PAGE = 256;

/**
 * Subnets from the subtensor node; each expands to its validators (by stake) and its UIDs (by incentive or stake,
 * chosen in the view's menu, narrowed by the UIDs filter). Rows come from the newest stored snapshot; the tree never
 * talks to the chain. Above the subnets, a row says when the subnet list could not be read (or only in part) and
 * when rows from another chain are kept out of sight.
 */
export class SubnetTreeProvider implements vscode.TreeDataProvider<SubnetNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<SubnetNode>(300);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private readonly subnets = new Map<number, Extract<SubnetNode, { type: 'subnet' }>>();
  /** Pages already read, per subnet and then per group, sort and filter; a subnet's are dropped when the engine says it changed. */
  private readonly pages = new Map<number, Map<string, NeuronPage | null>>();
  private watched = new Set<string>();
  private sort: UidSort = 'incentive';
  private uidFilter = '';

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  setSort(sort: UidSort): void {
    this.sort = sort;
    this.refresher.refresh();
  }

  /** The UIDs lists show only rows matching `filter` (a UID, or part of a hotkey, coldkey or name); '' shows all. */
  setFilter(filter: string): void {
    // The same filter again redraws nothing: a redraw would only swallow a click on a row that is being drawn anew.
    if (filter.trim() === this.uidFilter) return;
    this.uidFilter = filter.trim();
    this.refresher.refresh();
  }

  get filter(): string {
    return this.uidFilter;
  }

  setWatched(hotkeys: Iterable<string>): void {
    this.watched = new Set(hotkeys);
    this.refresher.refresh();
  }

  /** Called with the netuids named by a `bittensor.changed` notification. */
  changed(netuids: readonly number[]): void {
    for (const netuid of netuids) this.pages.delete(netuid);
    this.refresher.refresh();
  }

  getTreeItem(node: SubnetNode): vscode.TreeItem {
    if (node.type === 'notice') return subnetNoticeItem(node.notice);
    if (node.type === 'subnet') return subnetItem(node.summary);
    if (node.type === 'filter') return filterItem(node);
    if (node.type === 'group') {
      const page = this.pages.get(node.netuid)?.get(this.pageKey(node.group));
      const item = new vscode.TreeItem(node.group === 'validators' ? 'Validators' : 'UIDs', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `subnet:${node.netuid}:${node.group}`;
      if (page) {
        const order = node.group === 'uids' ? `by ${this.sort}` : 'by stake';
        item.description = page.matched === page.total ? `${page.total} · ${order}` : `${page.matched} of ${page.total} · filtered · ${order}`;
      }
      item.iconPath = new vscode.ThemeIcon(node.group === 'validators' ? 'shield' : 'list-ordered');
      item.contextValue = node.group === 'uids' ? 'uids' : 'validators';
      return item;
    }
    return neuronItem(node, this.watched.has(node.neuron.hotkey));
  }

  async getChildren(node?: SubnetNode): Promise<SubnetNode[]> {
    try {
      if (!node) {
        const [summaries, status] = await Promise.all([this.engine.request('bittensor.subnets', {}), this.listStatus()]);
        this.subnets.clear();
        const rows = summaries.map((summary) => {
          const created = { type: 'subnet' as const, summary };
          this.subnets.set(summary.netuid, created);
          return created;
        });
        return [...subnetNotices(status, summaries).map((notice) => ({ type: 'notice' as const, notice })), ...rows];
      }
      if (node.type === 'subnet') {
        const { netuid } = node.summary;
        // Both pages first, so that the group rows show their counts.
        await Promise.all([this.page(netuid, 'validators'), this.page(netuid, 'uids')]);
        return [{ type: 'group', netuid, group: 'validators' }, { type: 'group', netuid, group: 'uids' }];
      }
      if (node.type === 'group') {
        const page = await this.page(node.netuid, node.group);
        const filterRow: SubnetNode[] = node.group === 'uids' && this.uidFilter ? [{ type: 'filter', netuid: node.netuid, filter: this.uidFilter }] : [];
        if (!page) return filterRow;
        return [...filterRow, ...page.rows.map((neuron) => ({ type: 'neuron' as const, netuid: node.netuid, group: node.group, neuron, block: page.block }))];
      }
      return [];
    } catch (error) {
      this.onError(error);
      return [];
    }
  }

  /** Lets TreeView.reveal find a UID row's way down from its subnet. */
  async getParent(node: SubnetNode): Promise<SubnetNode | undefined> {
    if (node.type === 'neuron' || node.type === 'filter') return { type: 'group', netuid: node.netuid, group: node.type === 'neuron' ? node.group : 'uids' };
    if (node.type === 'group') {
      if (!this.subnets.has(node.netuid)) await this.getChildren();
      return this.subnets.get(node.netuid);
    }
    return undefined;
  }

  /**
   * The row of `neuron` in its subnet's UIDs list, ready for TreeView.reveal. A UID the list does not show (past the
   * first page, or hidden by the filter) is brought into view by filtering on its hotkey. Any refresh still pending
   * (the filter's among them) is fired before returning, so that a reveal that follows is not undone by it.
   */
  async locate(netuid: number, neuron: NeuronRow): Promise<NeuronNode | undefined> {
    const shown = await this.page(netuid, 'uids');
    let row = shown?.rows.find((candidate) => candidate.uid === neuron.uid);
    if (!row) {
      this.uidFilter = neuron.hotkey;
      this.refresher.refresh();
      row = (await this.page(netuid, 'uids'))?.rows.find((candidate) => candidate.uid === neuron.uid);
    }
    const block = this.pages.get(netuid)?.get(this.pageKey('uids'))?.block;
    this.refresher.flush();
    return row && block !== undefined ? { type: 'neuron', netuid, group: 'uids', neuron: row, block } : undefined;
  }

  private async listStatus(): Promise<SubnetListStatus | undefined> {
    // An engine shared from a window of an older Swarmscope may not know the request; the rows still show.
    return this.engine.request('bittensor.listStatus', {}).catch(() => undefined);
  }

  /** Validators are always by stake; UIDs by the sort chosen in the view's menu. */
  private sortOf(group: NeuronGroup): UidSort {
    return group === 'validators' ? 'stake' : this.sort;
  }

  private filterOf(group: NeuronGroup): string {
    return group === 'uids' ? this.uidFilter : '';
  }

  private pageKey(group: NeuronGroup): string {
    return `${group}:${this.sortOf(group)}:${this.filterOf(group)}`;
  }

  /** The rows a group shows, sorted, filtered and cut in the engine: the host never holds a whole 1,024-UID metagraph. */
  private async page(netuid: number, group: NeuronGroup): Promise<NeuronPage | null> {
    let subnet = this.pages.get(netuid);
    if (!subnet) this.pages.set(netuid, (subnet = new Map()));
    const key = this.pageKey(group);
    if (!subnet.has(key)) {
      const filter = this.filterOf(group);
      subnet.set(key, await this.engine.request('bittensor.neurons', { netuid, group, sort: this.sortOf(group), limit: UID_PAGE, ...(filter ? { filter } : {}) }));
    }
    return subnet.get(key) ?? null;
  }

  dispose(): void {
    this.refresher.dispose();
  }
}

function subnetItem(summary: SubnetSummary): vscode.TreeItem {
  const name = untrustedText(summary.name); // the subnet owner's chain identity
  const label = `${summary.netuid}${name ? ` ${name}` : ''}`;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `subnet:${summary.netuid}`;
  const uids = summary.maxUids ? `${summary.uids}/${summary.maxUids} UIDs` : `${summary.uids} UIDs`;
  item.description = `${uids} · reg ${tao(summary.burnTao)}${summary.stale ? ' · out of date' : ''}`;
  item.iconPath = new vscode.ThemeIcon(summary.stale ? 'warning' : 'circuit-board', summary.stale ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
  item.contextValue = summary.stale ? 'subnet.stale' : 'subnet';
  item.tooltip = tooltipTable(`Subnet ${label}`, [
    ['Tempo', summary.tempo === null ? '–' : `${summary.tempo} blocks`],
    ['UIDs', uids],
    ['Validators', summary.maxValidators ? `${summary.validators}/${summary.maxValidators}` : String(summary.validators)],
    ['Register cost', `${tao(summary.burnTao)}${summary.burnChange24hTao !== null ? ` (24 h: ${summary.burnChange24hTao >= 0 ? '+' : ''}${tao(summary.burnChange24hTao)})` : ''}`],
    ['Price', tao(summary.priceTao)],
    ['Newest snapshot', summary.latestSnapshotBlock === null ? 'none' : `block ${summary.latestSnapshotBlock}`],
    ['Head', summary.headBlock === null ? '–' : `block ${summary.headBlock}`],
    ...(summary.stale ? [['Out of date', 'the newest snapshot is 100 or more blocks behind the head; use "Snapshot now"'] as [string, string]] : []),
  ]);
  return item;
}

/** The UIDs filter, shown where it acts; clicking it shows every UID again. */
function filterItem(node: Extract<SubnetNode, { type: 'filter' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(`filter: ${untrustedText(node.filter, 64, 'middle')}`, vscode.TreeItemCollapsibleState.None);
  item.id = `subnet:${node.netuid}:uids:filter`;
  item.description = '(clear)';
  item.iconPath = new vscode.ThemeIcon('filter');
  item.contextValue = 'uids.filter';
  item.tooltip = 'Only UIDs matching this filter are listed (a UID, or part of a hotkey, coldkey or identity name). Click to clear it.';
  item.command = { command: COMMANDS.clearUidsFilter, title: 'Clear UIDs Filter' };
  return item;
}

function neuronItem(node: NeuronNode, watched: boolean): vscode.TreeItem {
  const { neuron } = node;
  const name = untrustedText(neuron.identity);
  const item = new vscode.TreeItem(`UID ${neuron.uid}${name ? ` ${name}` : ''}`, vscode.TreeItemCollapsibleState.None);
  item.id = `subnet:${node.netuid}:${node.group}:${neuron.uid}`;
  item.description = node.group === 'validators'
    ? `${alpha(neuron.stake)} · vtrust ${neuron.validatorTrust.toFixed(3)}`
    : `inc ${neuron.incentive.toFixed(4)} · ${alpha(neuron.stake)}`;
  item.iconPath = new vscode.ThemeIcon(watched ? 'eye' : neuron.validatorPermit ? 'shield' : 'person');
  item.contextValue = watched ? 'hotkey.watched' : 'hotkey';
  item.tooltip = tooltipTable(`UID ${neuron.uid} on subnet ${node.netuid} (block ${node.block})`, [
    ['Hotkey', neuron.hotkey],
    ['Coldkey', neuron.coldkey],
    ['Identity', name || '–'],
    ['Active', neuron.active ? 'yes' : 'no'],
    ['Validator permit', neuron.validatorPermit ? 'yes' : 'no'],
    ['Stake', `${alpha(neuron.stake)} (α ${neuron.stakeAlpha.toFixed(2)} + τ ${neuron.stakeTao.toFixed(2)} × TAO weight)`],
    ['Rank / trust / consensus', `${neuron.rank.toFixed(4)} / ${neuron.trust.toFixed(4)} / ${neuron.consensus.toFixed(4)}`],
    ['Incentive / dividends', `${neuron.incentive.toFixed(4)} / ${neuron.dividends.toFixed(4)}`],
    ['Validator trust', neuron.validatorTrust.toFixed(4)],
    ['Emission', String(neuron.emission)],
    ['Last update', `block ${neuron.lastUpdate}`],
    ['Registered', `block ${neuron.registrationBlock}`],
    ['Axon', neuron.axon ? `${neuron.axon.ip}:${neuron.axon.port} (IPv${neuron.axon.ipType}, v${neuron.axon.version})` : 'none'],
    ['Short', shortKey(neuron.hotkey)],
  ]);
  return item;
}
