import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { ContextVmServer } from '../protocol/contextVmProtocol';
import type { DvmSummary, JobSummary } from '../protocol/nostrProtocol';
import { serverItem, serversSectionItem, serverTooltip, toolItem } from './contextVmServerItems';
import type { EngineRequester } from './engineRequester';
import { untrustedText } from '../core/util/untrustedText';
import { ago, COUNT_MEANINGS, dateTime, jobCounts, nameOrKey, percent, sats, seconds, tooltipTable } from './format';
import type { RelayState } from './sourceState';
import { sameRows, sourceStateRows, stateItem, type StateRow } from './sourceStateRows';
import { refreshChangedRows, TreeRefresher } from './treeRefresher';

export type DvmNode =
  | { readonly type: 'dvm'; summary: DvmSummary; watched: boolean }
  | { readonly type: 'group'; readonly group: 'kinds' | 'jobs'; readonly dvm: string }
  | { readonly type: 'kind'; readonly dvm: string; readonly kind: number; readonly name: string }
  | { readonly type: 'job'; readonly dvm: string; readonly job: JobSummary }
  /** ContextVM / DVMCP servers, after the DVMs: listed apart from them (DESIGN.md). */
  | { readonly type: 'servers'; readonly servers: readonly ContextVmServer[] }
  | { readonly type: 'server'; readonly server: ContextVmServer }
  | { readonly type: 'tool'; readonly server: ContextVmServer; readonly tool: string }
  | StateRow;

const ROOT_PAGE = 500;
/** Characters of a job's input shown in its row; the tooltip and the trace show more. */
const JOB_INPUT_SHOWN = 64;

/**
 * DVMs seen on the relays. DVM nodes are kept by pubkey and updated in place, so a new event for a known DVM
 * refreshes only that DVM's row; a DVM never seen before refreshes the root.
 */
export class DvmTreeProvider implements vscode.TreeDataProvider<DvmNode>, vscode.Disposable {
  readonly refresher = new TreeRefresher<DvmNode>(250);
  readonly onDidChangeTreeData = this.refresher.onDidChangeTreeData;
  private relays: RelayState = { kind: 'starting' };
  private readonly nodes = new Map<string, Extract<DvmNode, { type: 'dvm' }>>();
  private watched = new Set<string>();

  constructor(private readonly engine: EngineRequester, private readonly onError: (error: unknown) => void) {}

  /** An empty view says why it is empty (sourceStateRows.ts); drawn again when that changes while it is empty. */
  setRelayState(state: RelayState): void {
    const changed = !sameRows(state, this.relays);
    this.relays = state;
    if (changed && this.nodes.size === 0) this.refresher.refresh();
  }

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
      case 'state':
        return stateItem(node);
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
        this.refresher.ages(node);
        return jobItem(node.dvm, node.job);
      case 'servers':
        return serversSectionItem(node.servers);
      case 'server':
        this.refresher.ages(node);
        return serverItem(node.server);
      case 'tool':
        return toolItem(node.server, node.tool);
    }
  }

  /** A DVM's tooltip is built when hovered, so that its "last seen" is read then, not when the row was drawn. */
  resolveTreeItem(item: vscode.TreeItem, node: DvmNode): vscode.TreeItem {
    if (node.type === 'dvm') item.tooltip = dvmTooltip(node.summary);
    if (node.type === 'server') item.tooltip = serverTooltip(node.server);
    return item;
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
        if (this.relays.kind === 'failed') return sourceStateRows('dvms', this.relays);
        const [summaries, servers] = await Promise.all([this.engine.request('nostr.dvms', { limit: ROOT_PAGE }), this.engine.request('nostr.contextVmServers', {})]);
        const section: DvmNode[] = servers.length > 0 ? [{ type: 'servers', servers }] : [];
        if (summaries.length === 0) return [...(section.length > 0 ? [] : sourceStateRows('dvms', this.relays)), ...section];
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
        return [...nodes, ...section];
      }
      if (node.type === 'servers') return node.servers.map((server) => ({ type: 'server' as const, server }));
      if (node.type === 'server') return node.server.tools.map((tool) => ({ type: 'tool' as const, server: node.server, tool }));
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
  item.description = `${jobCounts(summary.jobs, summary.waiting)} · ${percent(summary.successRate)} success`;
  item.contextValue = watched ? 'dvm.watched' : 'dvm';
  const icon = summary.status === 'up' ? 'pass-filled' : summary.status === 'silent' ? 'warning' : 'circle-outline';
  const color = summary.status === 'up' ? 'testing.iconPassed' : summary.status === 'silent' ? 'problemsWarningIcon.foreground' : undefined;
  item.iconPath = new vscode.ThemeIcon(watched ? 'eye' : icon, color ? new vscode.ThemeColor(color) : undefined);
  return item;
}

function dvmTooltip(summary: DvmSummary): vscode.MarkdownString {
  return tooltipTable(nameOrKey(summary.name, summary.npub), [
    ['Pubkey', summary.npub],
    ['Status', summary.status],
    ['Kinds', summary.kinds.join(', ') || '–'],
    ['Jobs', `${summary.jobs} — ${COUNT_MEANINGS.jobs} (${summary.results} results, ${summary.errors} errors)`],
    ['Waiting', `${summary.waiting} — ${COUNT_MEANINGS.waiting}`],
    ['Success rate', `${percent(summary.successRate)} of its jobs`],
    ['Response time', `median ${seconds(summary.medianResponseSec)}, p90 ${seconds(summary.p90ResponseSec)}`],
    ['Sats', `${sats(summary.satsRequested)} requested, ${sats(summary.satsEarned)} earned (est.), ${sats(summary.satsProven)} proven`],
    ['Last seen', ago(summary.lastSeen)],
    ['Profile', summary.hasProfile ? 'NIP-89 announced' : 'none'],
    ...(summary.about ? [['About', summary.about] as [string, string]] : []),
  ]);
}

/**
 * A job row tells jobs apart (issue 9, item 4): its input (the first `i` value, cut short), then status, customer and
 * age. A click opens the job's trace; the signed JSON stays a context action (Open Event JSON).
 */
function jobItem(dvm: string, job: JobSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(jobLabel(job), vscode.TreeItemCollapsibleState.None);
  item.id = `dvm:${dvm}:job:${job.requestId}`;
  const customer = job.customer ? nameOrKey(job.customerName, job.customerNpub ?? job.customer) : 'customer not seen';
  item.description = `${untrustedText(job.status)} · ${customer} · ${ago(job.createdAt)}`;
  item.iconPath = new vscode.ThemeIcon(jobIcon(job.status));
  item.contextValue = 'job';
  item.tooltip = tooltipTable(`Job ${job.requestId}`, [
    ['Input', job.input ?? (job.encrypted ? 'encrypted' : 'not kept')],
    ['Kind', `${job.kind} ${job.kindName}`],
    ['Customer', job.customer ? `${job.customerName ? `${job.customerName} ` : ''}${job.customerNpub ?? job.customer}` : 'request not seen'],
    ['Status', job.status],
    ['Requested', `${dateTime(job.createdAt)}`],
    ['Encrypted', job.encrypted ? 'yes' : 'no'],
    ['Response time', seconds(job.responseSec)],
  ]);
  item.command = { command: COMMANDS.openTrace, title: 'Open Job Trace', arguments: [job.requestId] };
  return item;
}

/** Input words are the customer's: untrusted, and cut so that a row stays one line. */
function jobLabel(job: JobSummary): string {
  if (job.input) return untrustedText(job.input, JOB_INPUT_SHOWN) || `job ${job.requestId.slice(0, 8)}`;
  return job.encrypted ? `encrypted job ${job.requestId.slice(0, 8)}` : `job ${job.requestId.slice(0, 8)}`;
}

function jobIcon(status: string): string {
  if (status.includes('error')) return 'error';
  if (status.includes('result') || status === 'success') return 'check';
  if (status.includes('payment')) return 'credit-card';
  if (status.includes('cancel')) return 'circle-slash';
  return 'sync';
}
