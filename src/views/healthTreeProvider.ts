import * as vscode from 'vscode';
import type { EngineClientState } from '../engine/engineClient';
import { untrustedText } from '../core/util/untrustedText';
import type { EngineStatus } from '../protocol/engineProtocol';
import { ago } from './format';
import { TreeRefresher } from './treeRefresher';

/** Plain-text tooltips show more of an error message than a description does. */
const TOOLTIP_MAX = 1_000;

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

  /**
   * Rows quote relays and nodes (NOTICEs, close reasons, error messages) and settings the user typed: every label
   * and description is sanitised here, and the network parts of a tooltip where it is built (its own line breaks
   * are ours).
   */
  getTreeItem(node: HealthNode): vscode.TreeItem {
    const item = new vscode.TreeItem(untrustedText(node.label), node.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description === undefined ? undefined : untrustedText(node.description);
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
      tooltip: this.clientDetail ? untrustedText(this.clientDetail, TOOLTIP_MAX) : undefined,
      icon: this.clientState === 'ready' ? 'pass' : this.clientState === 'crashed' ? 'error' : 'loading~spin',
      color: this.clientState === 'crashed' ? 'errorForeground' : undefined,
    };
    if (!status) return [engine];
    const nodes: HealthNode[] = [engine];
    nodes.push({
      id: 'database',
      label: 'Database',
      description: `${(status.dbBytes / 1024 / 1024).toFixed(1)} MB${status.lastFlushError ? ' — last flush failed' : ''}`,
      tooltip: `${status.dbPath ?? 'in memory'}${status.lastFlushError ? `\nLast flush failed: ${untrustedText(status.lastFlushError, TOOLTIP_MAX)}` : ''}`,
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
        tooltip: [
          collector.reason ? `Degraded: ${untrustedText(collector.reason, TOOLTIP_MAX)}` : '',
          collector.lastError ? `Last error: ${untrustedText(collector.lastError, TOOLTIP_MAX)}` : '',
        ].filter(Boolean).join('\n') || undefined,
        icon: collector.state === 'connected' ? 'pass' : collector.state === 'error' || collector.state === 'retrying' || collector.state === 'degraded' ? 'warning' : 'circle-outline',
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
      nodes.push({ id: `setting:${i}`, label: error.key, description: error.message, tooltip: untrustedText(error.message, TOOLTIP_MAX), icon: 'warning', color: 'problemsWarningIcon.foreground' });
    }
    for (const [i, notice] of status.notices.entries()) {
      nodes.push({ id: `notice:${i}`, label: 'Notice', description: notice, tooltip: untrustedText(notice, TOOLTIP_MAX), icon: 'info' });
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
