import * as vscode from 'vscode';
import type { EngineClientState } from '../engine/engineClient';
import { untrustedText } from '../core/util/untrustedText';
import type { CollectorStatus, EngineStatus } from '../protocol/engineProtocol';
import { dateTime } from './format';
import { isConnected, relayState, sourceCounts, sourceError } from './sourceState';
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
  private startFailure: { message: string; dbPath: string | undefined } | undefined;

  setStatus(status: EngineStatus): void {
    this.status = status;
    this.refresher.refresh();
  }

  /** The engine could not start (undefined: it started again). `dbPath` is the database it was to open. */
  setStartFailure(message: string | undefined, dbPath: string | undefined): void {
    this.startFailure = message === undefined ? undefined : { message, dbPath };
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
    if (this.startFailure) return this.failureRows(this.startFailure);
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
    const { connected, total } = sourceCounts(status);
    const relays = relayState(status, this.clientState, undefined);
    nodes.push({
      id: 'collectors',
      label: 'Sources',
      description: `${connected} of ${total} connected${relays.kind === 'unreachable' ? ' — no relay reachable' : ''}`,
      tooltip: relays.kind === 'unreachable' ? `No relay reachable. First error: ${untrustedText(relays.relay)}: ${untrustedText(relays.error, TOOLTIP_MAX)}` : undefined,
      icon: total > 0 && connected === 0 ? 'warning' : 'radio-tower',
      color: total > 0 && connected === 0 ? 'problemsWarningIcon.foreground' : undefined,
      children: status.collectors.map((collector) => ({
        id: `collector:${collector.name}`,
        label: collector.name,
        // Not connected: its error where it can be read without hovering.
        description: [collector.state, collector.detail, isConnected(collector) ? undefined : collectorError(collector)].filter(Boolean).join(' — '),
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
      // An absolute time: it needs no redrawing to stay true.
      nodes.push({ id: 'started', label: 'Started', description: dateTime(status.startedAt / 1000), icon: 'clock' });
    }
    return nodes;
  }

  private failureRows(failure: { message: string; dbPath: string | undefined }): HealthNode[] {
    return [
      {
        id: 'engine', label: 'Engine', description: `not started — ${failure.message}`, tooltip: untrustedText(failure.message, TOOLTIP_MAX),
        icon: 'error', color: 'errorForeground',
      },
      {
        id: 'database', label: 'Database', description: failure.dbPath ?? 'in memory',
        tooltip: `${failure.dbPath ?? 'in memory'}\nThe engine did not start: ${untrustedText(failure.message, TOOLTIP_MAX)}`, icon: 'database',
      },
    ];
  }

  dispose(): void {
    this.refresher.dispose();
  }
}

/** A source's error, unless it only repeats its state. */
function collectorError(collector: CollectorStatus): string | undefined {
  const error = sourceError(collector);
  return error === collector.state ? undefined : error;
}
