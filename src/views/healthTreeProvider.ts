import * as vscode from 'vscode';
import type { EngineClientState } from '../engine/engineClient';
import type { EngineStatus } from '../protocol/engineProtocol';
import { ago } from './format';
import { TreeRefresher } from './treeRefresher';

interface HealthNode {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: string;
  readonly color?: string;
  readonly children?: readonly HealthNode[];
}

/**
 * The engine's health as a tree: worker state, database, each collector (relay, chain node), dropped events by
 * reason, setting problems and notices — so that nothing the engine dropped or failed at is invisible.
 */
export class HealthTreeProvider implements vscode.TreeDataProvider<HealthNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<HealthNode>(300);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private status: EngineStatus | undefined;
  private clientState: EngineClientState = 'starting';
  private clientDetail: string | undefined;

  setStatus(status: EngineStatus): void {
    this.status = status;
    this.refresher.refresh();
  }

  setClientState(state: EngineClientState, detail?: string): void {
    this.clientState = state;
    this.clientDetail = detail;
    this.refresher.refresh();
  }

  getTreeItem(node: HealthNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
    return item;
  }

  getChildren(node?: HealthNode): HealthNode[] {
    if (node) return [...(node.children ?? [])];
    const status = this.status;
    const engine: HealthNode = {
      id: 'engine',
      label: 'Engine',
      description: this.clientState === 'ready' ? `ready in ${status?.readyMs.toFixed(0) ?? '?'} ms` : `${this.clientState}${this.clientDetail ? ` — ${this.clientDetail}` : ''}`,
      icon: this.clientState === 'ready' ? 'pass' : this.clientState === 'crashed' ? 'error' : 'loading~spin',
      color: this.clientState === 'crashed' ? 'errorForeground' : undefined,
    };
    if (!status) return [engine];
    const nodes: HealthNode[] = [engine];
    nodes.push({
      id: 'database',
      label: 'Database',
      description: `${(status.dbBytes / 1024 / 1024).toFixed(1)} MB${status.lastFlushError ? ' — last flush failed' : ''}`,
      tooltip: `${status.dbPath ?? 'in memory'}${status.lastFlushError ? `\nLast flush failed: ${status.lastFlushError}` : ''}`,
      icon: status.lastFlushError ? 'warning' : 'database',
    });
    nodes.push({
      id: 'collectors',
      label: 'Sources',
      description: `${status.collectors.filter((collector) => collector.state === 'connected').length} of ${status.collectors.length} connected`,
      icon: 'radio-tower',
      children: status.collectors.map((collector) => ({
        id: `collector:${collector.name}`,
        label: collector.name,
        description: [collector.state, collector.detail].filter(Boolean).join(' — '),
        tooltip: collector.lastError ? `Last error: ${collector.lastError}` : undefined,
        icon: collector.state === 'connected' ? 'pass' : collector.state === 'error' || collector.state === 'retrying' ? 'warning' : 'circle-outline',
      })),
    });
    const dropped = Object.entries(status.dropped).sort((a, b) => b[1] - a[1]);
    nodes.push({
      id: 'dropped',
      label: 'Dropped',
      description: `${dropped.reduce((sum, [, count]) => sum + count, 0)}`,
      tooltip: 'Events and answers dropped on arrival, by reason: forged, malformed or excluded data is counted here, never stored.',
      icon: 'trash',
      children: dropped.map(([reason, count]) => ({ id: `dropped:${reason}`, label: reason, description: String(count), icon: 'circle-small' })),
    });
    for (const [i, error] of status.settingErrors.entries()) {
      nodes.push({ id: `setting:${i}`, label: error.key, description: error.message, tooltip: error.message, icon: 'warning', color: 'problemsWarningIcon.foreground' });
    }
    for (const [i, notice] of status.notices.entries()) {
      nodes.push({ id: `notice:${i}`, label: 'Notice', description: notice, tooltip: notice, icon: 'info' });
    }
    if (status.lastFlushMs !== undefined) {
      nodes.push({ id: 'started', label: 'Started', description: ago(status.startedAt / 1000), icon: 'clock' });
    }
    return nodes;
  }

  dispose(): void {
    this.refresher.dispose();
  }
}
