import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import { isoTime } from '../core/util/isoTime';
import { untrustedText } from '../core/util/untrustedText';
import type { SubnetListStatus, SubnetSummary } from '../protocol/bittensorProtocol';
import { tooltipTable } from './format';

/**
 * What the Subnets view says above its rows when they are not the whole truth: the chain's subnet list could not be
 * read (or only in part), or rows from another chain are kept out of sight. Without these rows a failed refresh
 * looked exactly like a successful one.
 */
export type SubnetNotice =
  | { readonly kind: 'list'; readonly outcome: 'partial' | 'failed'; readonly endpoint: string | null; readonly problems: readonly string[]; readonly at: number | null; readonly shown: number }
  | { readonly kind: 'otherChain'; readonly subnets: number; readonly genesis: readonly string[]; readonly current: string | null };

export function subnetNotices(status: SubnetListStatus | undefined, shown: readonly SubnetSummary[]): SubnetNotice[] {
  if (!status) return [];
  const notices: SubnetNotice[] = [];
  if (status.outcome === 'partial' || status.outcome === 'failed') {
    notices.push({ kind: 'list', outcome: status.outcome, endpoint: status.endpoint, problems: status.problems, at: status.at, shown: shown.length });
  }
  if (status.otherChains.subnets > 0) {
    notices.push({ kind: 'otherChain', subnets: status.otherChains.subnets, genesis: status.otherChains.genesis, current: status.genesis });
  }
  return notices;
}

export function subnetNoticeItem(notice: SubnetNotice): vscode.TreeItem {
  return notice.kind === 'list' ? listItem(notice) : otherChainItem(notice);
}

function listItem(notice: Extract<SubnetNotice, { kind: 'list' }>): vscode.TreeItem {
  const failed = notice.outcome === 'failed';
  const item = new vscode.TreeItem(failed ? 'Subnet list not read' : 'Subnet list partly read', vscode.TreeItemCollapsibleState.None);
  item.id = 'subnets:notice:list';
  const first = untrustedText(notice.problems[0] ?? 'no answer', 120, 'middle');
  item.description = failed
    ? `${plural(notice.shown, 'subnet')} shown from stored snapshots · ${first}`
    : `${plural(notice.problems.length, 'source')} failed · ${first}`;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = 'subnets.notice';
  item.tooltip = tooltipTable(failed ? 'The subnet list could not be read from the endpoint' : 'The subnet list was read only in part', [
    ['Endpoint', notice.endpoint ?? '–'],
    ['When', notice.at === null ? '–' : isoTime(notice.at)],
    ...notice.problems.slice(0, 5).map((problem, index) => [`Problem ${index + 1}`, problem] as [string, string]),
    ['Shown', failed
      ? `${plural(notice.shown, 'subnet')} from stored snapshots of tracked subnets; other subnets are not listed`
      : `${plural(notice.shown, 'subnet')}; names, tempo or prices may be missing`],
    ['Try again', 'click this row (Refresh Subnets), or check swarmscope.bittensor.endpoint'],
  ]);
  item.command = { command: COMMANDS.refreshSubnets, title: 'Refresh Subnets' };
  return item;
}

function otherChainItem(notice: Extract<SubnetNotice, { kind: 'otherChain' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(`${plural(notice.subnets, 'subnet')} from another chain not shown`, vscode.TreeItemCollapsibleState.None);
  item.id = 'subnets:notice:otherChain';
  item.description = notice.genesis.map((genesis) => `genesis ${shortHash(genesis)}`).join(', ');
  item.iconPath = new vscode.ThemeIcon('info');
  item.contextValue = 'subnets.notice';
  item.tooltip = tooltipTable('The endpoint is on another chain than some stored rows', [
    ['This endpoint\'s chain', notice.current ? `genesis ${notice.current}` : '–'],
    ...notice.genesis.map((genesis) => ['Stored from', `genesis ${genesis}`] as [string, string]),
    ['Kept', `the other chain's snapshots and list stay in the database, out of sight; point swarmscope.bittensor.endpoint back at that chain to see them`],
  ]);
  item.command = { command: COMMANDS.openSettings, title: 'Open Settings' };
  return item;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash;
}
