import * as vscode from 'vscode';
import { untrustedText } from '../core/util/untrustedText';
import { COMMANDS } from '../commands/commandIds';
import type { PostedJobSummary } from '../protocol/jobProtocol';
import { ago, dateTime, sats, tooltipTable } from './format';

/** "My jobs": the section, and one of the jobs you posted (a row's context actions get it as their argument). */
export type MyJobsNode = { readonly domain: 'myJobs' } | { readonly domain: 'myJob'; readonly job: PostedJobSummary };

/** The section's one node: refreshes name it by identity. */
export const MY_JOBS: MyJobsNode = { domain: 'myJobs' };
/** The section lists your newest jobs, this many. */
export const MY_JOBS_SHOWN = 50;

/**
 * Rows of the Watched view's "My jobs" section: the jobs posted through this engine (playground, CLI). Kind names and
 * inputs come from relays or the user's own text: untrusted.
 */
export function myJobsItem(count: number): vscode.TreeItem {
  const item = new vscode.TreeItem('My jobs', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'watched:myJobs';
  item.contextValue = 'myJobs';
  item.iconPath = new vscode.ThemeIcon('send');
  item.description = count >= MY_JOBS_SHOWN ? `newest ${count}` : String(count);
  item.tooltip = 'The jobs you posted (Post Test Job, or swarmscope post through this engine). Click one to open its trace.';
  return item;
}

/** Kind name and input as the label, then status (paid when a zap receipt proves it) and age; a click opens the trace. */
export function myJobItem(job: PostedJobSummary): vscode.TreeItem {
  const input = job.encrypted ? 'encrypted input' : job.input ? untrustedText(job.input.data, 60) : 'no input in clear';
  const item = new vscode.TreeItem(`${untrustedText(job.kindName, 40)} · ${input}`, vscode.TreeItemCollapsibleState.None);
  item.id = `watched:myJob:${job.requestId}`;
  item.contextValue = 'myJob';
  const paid = job.zaps > 0 ? ` · paid ${sats(Math.floor(job.paidMsats / 1000))}` : '';
  item.description = `${job.status}${paid} · ${ago(job.createdAt)}`;
  item.iconPath = new vscode.ThemeIcon(job.status === 'error' ? 'error' : job.status === 'cancelled' ? 'circle-slash' : job.zaps > 0 ? 'pass-filled' : 'send');
  item.command = { command: COMMANDS.openTrace, title: 'Open Job Trace', arguments: [job.requestId] };
  item.tooltip = tooltipTable(String(item.label), [
    ['Job', job.requestId],
    ['Kind', `${job.kind} (${untrustedText(job.kindName, 60)})`],
    ['Input', job.input ? `${untrustedText(job.input.data, 200)} (${untrustedText(job.input.type, 20)})` : input],
    ['Status', `${job.status} · ${job.dvmCount} DVM${job.dvmCount === 1 ? '' : 's'} answered`],
    ['Paid', job.zaps > 0 ? `${sats(Math.floor(job.paidMsats / 1000))} (${job.zaps} zap receipt${job.zaps === 1 ? '' : 's'})` : 'no zap receipt'],
    ['Posted', `${dateTime(job.createdAt)} (${ago(job.createdAt)})`],
  ]);
  return item;
}
