import * as vscode from 'vscode';
import type { BittensorMethods, NeuronGroup, NeuronRow, NeuronSort, SubnetSummary } from '../protocol/bittensorProtocol';
import type { EngineRequester } from './engineRequester';
import { untrustedText } from '../core/util/untrustedText';
import { alpha, shortKey, tao, tooltipTable } from './format';
import { TreeRefresher } from './treeRefresher';

export type UidSort = NeuronSort;
type NeuronPage = NonNullable<BittensorMethods['bittensor.neurons']['result']>;

export type SubnetNode =
  | { readonly type: 'subnet'; summary: SubnetSummary }
  | { readonly type: 'group'; readonly netuid: number; readonly group: 'validators' | 'uids' }
  | { readonly type: 'neuron'; readonly netuid: number; readonly group: 'validators' | 'uids'; readonly neuron: NeuronRow; readonly block: number };

/** UIDs shown under a subnet at once; the full metagraph is one CLI call away (`swarmscope metagraph`). */
const UID_PAGE = 256;

/**
 * Subnets from the subtensor node; each expands to its validators (by stake) and its UIDs (by incentive or stake,
 * chosen in the view's menu). Rows come from the newest stored snapshot; the tree never talks to the chain.
 */
export class SubnetTreeProvider implements vscode.TreeDataProvider<SubnetNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<SubnetNode>(300);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private readonly subnets = new Map<number, Extract<SubnetNode, { type: 'subnet' }>>();
  /** Pages already read, per subnet and then per group and sort; a subnet's are dropped when the engine says it changed. */
  private readonly pages = new Map<number, Map<string, NeuronPage | null>>();
  private watched = new Set<string>();
  private sort: UidSort = 'incentive';

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  setSort(sort: UidSort): void {
    this.sort = sort;
    this.refresher.refresh();
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
    if (node.type === 'subnet') return subnetItem(node.summary);
    if (node.type === 'group') {
      const count = this.pages.get(node.netuid)?.get(this.pageKey(node.group))?.total;
      const item = new vscode.TreeItem(node.group === 'validators' ? 'Validators' : 'UIDs', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `subnet:${node.netuid}:${node.group}`;
      item.description = count === undefined ? undefined : `${count}${node.group === 'uids' ? ` · by ${this.sort}` : ' · by stake'}`;
      item.iconPath = new vscode.ThemeIcon(node.group === 'validators' ? 'shield' : 'list-ordered');
      return item;
    }
    return neuronItem(node, this.watched.has(node.neuron.hotkey));
  }

  async getChildren(node?: SubnetNode): Promise<SubnetNode[]> {
    try {
      if (!node) {
        const summaries = await this.engine.request('bittensor.subnets', {});
        this.subnets.clear();
        return summaries.map((summary) => {
          const created = { type: 'subnet' as const, summary };
          this.subnets.set(summary.netuid, created);
          return created;
        });
      }
      if (node.type === 'subnet') {
        const { netuid } = node.summary;
        // Both pages first, so that the group rows show their counts.
        await Promise.all([this.page(netuid, 'validators'), this.page(netuid, 'uids')]);
        return [{ type: 'group', netuid, group: 'validators' }, { type: 'group', netuid, group: 'uids' }];
      }
      if (node.type === 'group') {
        const page = await this.page(node.netuid, node.group);
        if (!page) return [];
        return page.rows.map((neuron) => ({ type: 'neuron' as const, netuid: node.netuid, group: node.group, neuron, block: page.block }));
      }
      return [];
    } catch (error) {
      this.onError(error);
      return [];
    }
  }

  /** Validators are always by stake; UIDs by the sort chosen in the view's menu. */
  private sortOf(group: NeuronGroup): UidSort {
    return group === 'validators' ? 'stake' : this.sort;
  }

  private pageKey(group: NeuronGroup): string {
    return `${group}:${this.sortOf(group)}`;
  }

  /** The rows a group shows, sorted and cut in the engine: the host never holds a whole 1,024-UID metagraph. */
  private async page(netuid: number, group: NeuronGroup): Promise<NeuronPage | null> {
    let subnet = this.pages.get(netuid);
    if (!subnet) this.pages.set(netuid, (subnet = new Map()));
    const key = this.pageKey(group);
    if (!subnet.has(key)) subnet.set(key, await this.engine.request('bittensor.neurons', { netuid, group, sort: this.sortOf(group), limit: UID_PAGE }));
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

function neuronItem(node: Extract<SubnetNode, { type: 'neuron' }>, watched: boolean): vscode.TreeItem {
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
