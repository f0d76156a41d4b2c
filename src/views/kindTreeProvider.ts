import * as vscode from 'vscode';
import type { DvmSummary, KindSummary } from '../protocol/nostrProtocol';
import type { EngineRequester } from './engineRequester';
import { untrustedText } from '../core/util/untrustedText';
import { nameOrKey, percent, tooltipTable } from './format';
import { refreshChangedRows, TreeRefresher } from './treeRefresher';

export type KindNode =
  | { readonly type: 'kind'; summary: KindSummary }
  | { readonly type: 'dvm'; readonly kind: number; readonly dvm: DvmSummary };

/** Job kinds (5000–5999) by traffic; each expands to the DVMs serving it. Kind rows update in place. */
export class KindTreeProvider implements vscode.TreeDataProvider<KindNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<KindNode>(250);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private readonly nodes = new Map<number, Extract<KindNode, { type: 'kind' }>>();

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  /** Called with the kinds named by a `nostr.changed` notification. */
  changed(kinds: readonly number[]): Promise<void> {
    return refreshChangedRows(kinds, this.nodes, this.refresher, async (kind, node) => {
      const detail = await this.engine.request('nostr.kind', { kind });
      if (detail) node.summary = detail.summary;
    }, this.onError);
  }

  getTreeItem(node: KindNode): vscode.TreeItem {
    if (node.type === 'kind') {
      const { summary } = node;
      // A kind the registry does not know is named by what a DVM announced: untrusted.
      const item = new vscode.TreeItem(`${summary.kind} ${untrustedText(summary.name)}`.trim(), vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `kind:${summary.kind}`;
      item.description = `${summary.requests} requests · ${summary.dvms} DVMs`;
      item.iconPath = new vscode.ThemeIcon('symbol-enum');
      item.contextValue = 'kind';
      item.tooltip = tooltipTable(`Kind ${summary.kind} ${summary.name}`, [
        ['Requests', String(summary.requests)],
        ['Results', String(summary.results)],
        ['DVMs serving it', String(summary.dvms)],
        ['Unique users', String(summary.users)],
      ]);
      return item;
    }
    const label = nameOrKey(node.dvm.name, node.dvm.npub);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = `kind:${node.kind}:dvm:${node.dvm.pubkey}`;
    item.description = `${node.dvm.jobs} jobs · ${percent(node.dvm.successRate)}`;
    item.iconPath = new vscode.ThemeIcon('server-process');
    item.tooltip = tooltipTable(label, [['Pubkey', node.dvm.npub], ['Status', node.dvm.status]]);
    return item;
  }

  async getChildren(node?: KindNode): Promise<KindNode[]> {
    try {
      if (!node) {
        const summaries = await this.engine.request('nostr.kinds', {});
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
