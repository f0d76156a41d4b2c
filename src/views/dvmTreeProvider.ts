import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { DvmSummary, JobSummary } from '../protocol/nostrProtocol';
import type { EngineRequester } from './engineRequester';
import { untrustedText } from '../core/util/untrustedText';
import { ago, nameOrKey, percent, sats, seconds, tooltipTable } from './format';
import { refreshChangedRows, TreeRefresher } from './treeRefresher';

export type DvmNode =
  | { readonly type: 'dvm'; summary: DvmSummary; watched: boolean }
  | { readonly type: 'group'; readonly group: 'kinds' | 'jobs'; readonly dvm: string }
  | { readonly type: 'kind'; readonly dvm: string; readonly kind: number; readonly name: string }
  | { readonly type: 'job'; readonly dvm: string; readonly job: JobSummary };

const ROOT_PAGE = 500;

/**
 * DVMs seen on the relays. DVM nodes are kept by pubkey and updated in place, so a new event for a known DVM
 * refreshes only that DVM's row; a DVM never seen before refreshes the root.
 */
export class DvmTreeProvider implements vscode.TreeDataProvider<DvmNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<DvmNode>(250);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private readonly nodes = new Map<string, Extract<DvmNode, { type: 'dvm' }>>();
  private watched = new Set<string>();

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  setWatched(pubkeys: Iterable<string>): void {
    this.watched = new Set(pubkeys);
    for (const node of this.nodes.values()) node.watched = this.watched.has(node.summary.pubkey);
    this.refresher.refresh();
  }

  /** Called with the DVMs named by a `nostr.changed` notification. */
  changed(pubkeys: readonly string[]): Promise<void> {
    return refreshChangedRows(pubkeys, this.nodes, this.refresher, async (pubkey, node) => {
      const detail = await this.engine.request('nostr.dvm', { pubkey });
      if (detail) node.summary = detail.summary;
    }, this.onError);
  }

  getTreeItem(node: DvmNode): vscode.TreeItem {
    switch (node.type) {
      case 'dvm':
        return dvmItem(node.summary, node.watched);
      case 'group': {
        const item = new vscode.TreeItem(node.group === 'kinds' ? 'Kinds' : 'Recent jobs', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `dvm:${node.dvm}:${node.group}`;
        item.iconPath = new vscode.ThemeIcon(node.group === 'kinds' ? 'symbol-enum' : 'history');
        return item;
      }
      case 'kind': {
        const item = new vscode.TreeItem(`${node.kind}`, vscode.TreeItemCollapsibleState.None);
        item.id = `dvm:${node.dvm}:kind:${node.kind}`;
        item.description = untrustedText(node.name); // a kind's name may be what a DVM announced
        item.iconPath = new vscode.ThemeIcon('symbol-number');
        return item;
      }
      case 'job':
        return jobItem(node.dvm, node.job);
    }
  }

  /** For TreeView.reveal: DVM rows are roots; a DVM's groups hang off it (other rows are not revealed). */
  getParent(node: DvmNode): DvmNode | undefined {
    return node.type === 'group' ? this.nodes.get(node.dvm) : undefined;
  }

  /** The row of this DVM (the same object the tree shows, as reveal needs), reading the list first if it was never drawn. */
  async find(pubkey: string): Promise<DvmNode | undefined> {
    if (!this.nodes.has(pubkey)) await this.getChildren();
    return this.nodes.get(pubkey);
  }

  async getChildren(node?: DvmNode): Promise<DvmNode[]> {
    try {
      if (!node) {
        const summaries = await this.engine.request('nostr.dvms', { limit: ROOT_PAGE });
        const seen = new Set<string>();
        const nodes = summaries.map((summary) => {
          seen.add(summary.pubkey);
          const existing = this.nodes.get(summary.pubkey);
          if (existing) {
            existing.summary = summary;
            existing.watched = this.watched.has(summary.pubkey);
            return existing;
          }
          const created = { type: 'dvm' as const, summary, watched: this.watched.has(summary.pubkey) };
          this.nodes.set(summary.pubkey, created);
          return created;
        });
        for (const pubkey of [...this.nodes.keys()]) if (!seen.has(pubkey)) this.nodes.delete(pubkey);
        return nodes;
      }
      if (node.type === 'dvm') {
        return [{ type: 'group', group: 'kinds', dvm: node.summary.pubkey }, { type: 'group', group: 'jobs', dvm: node.summary.pubkey }];
      }
      if (node.type === 'group') {
        const detail = await this.engine.request('nostr.dvm', { pubkey: node.dvm });
        if (!detail) return [];
        if (node.group === 'jobs') return detail.recentJobs.map((job) => ({ type: 'job' as const, dvm: node.dvm, job }));
        const names = new Map(detail.recentJobs.map((job) => [job.kind, job.kindName]));
        return detail.summary.kinds.map((kind) => ({ type: 'kind' as const, dvm: node.dvm, kind, name: names.get(kind) ?? '' }));
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

function dvmItem(summary: DvmSummary, watched: boolean): vscode.TreeItem {
  const label = nameOrKey(summary.name, summary.npub);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `dvm:${summary.pubkey}`;
  item.description = `${summary.jobs} jobs · ${percent(summary.successRate)}`;
  item.contextValue = watched ? 'dvm.watched' : 'dvm';
  const icon = summary.status === 'up' ? 'pass-filled' : summary.status === 'silent' ? 'warning' : 'circle-outline';
  const color = summary.status === 'up' ? 'testing.iconPassed' : summary.status === 'silent' ? 'problemsWarningIcon.foreground' : undefined;
  item.iconPath = new vscode.ThemeIcon(watched ? 'eye' : icon, color ? new vscode.ThemeColor(color) : undefined);
  item.tooltip = tooltipTable(label, [
    ['Pubkey', summary.npub],
    ['Status', summary.status],
    ['Kinds', summary.kinds.join(', ') || '–'],
    ['Jobs', `${summary.jobs} (${summary.results} results, ${summary.errors} errors)`],
    ['Success rate', percent(summary.successRate)],
    ['Response time', `median ${seconds(summary.medianResponseSec)}, p90 ${seconds(summary.p90ResponseSec)}`],
    ['Sats', `${sats(summary.satsRequested)} requested, ${sats(summary.satsEarned)} earned (est.), ${sats(summary.satsProven)} proven`],
    ['Last seen', ago(summary.lastSeen)],
    ['Profile', summary.hasProfile ? 'NIP-89 announced' : 'none'],
    ...(summary.about ? [['About', summary.about] as [string, string]] : []),
  ]);
  return item;
}

function jobItem(dvm: string, job: JobSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(`${job.kind} ${untrustedText(job.kindName)}`.trim(), vscode.TreeItemCollapsibleState.None);
  item.id = `dvm:${dvm}:job:${job.requestId}`;
  item.description = `${untrustedText(job.status)}${job.responseSec !== null ? ` · ${seconds(job.responseSec)}` : ''} · ${ago(job.createdAt)}`;
  item.iconPath = new vscode.ThemeIcon(jobIcon(job.status));
  item.contextValue = 'job';
  item.tooltip = tooltipTable(`Job ${job.requestId}`, [
    ['Kind', `${job.kind} ${job.kindName}`],
    ['Customer', job.customer],
    ['Status', job.status],
    ['Encrypted', job.encrypted ? 'yes' : 'no'],
    ['Response time', seconds(job.responseSec)],
  ]);
  // A click opens the job's trace; the signed JSON stays a context action (Open Event JSON).
  item.command = { command: COMMANDS.openTrace, title: 'Open Job Trace', arguments: [job.requestId] };
  return item;
}

function jobIcon(status: string): string {
  if (status.includes('error')) return 'error';
  if (status.includes('result') || status === 'success') return 'check';
  if (status.includes('payment')) return 'credit-card';
  if (status.includes('cancel')) return 'circle-slash';
  return 'sync';
}
