import * as vscode from 'vscode';
import type { ContextVmServer } from '../protocol/contextVmProtocol';
import { untrustedText } from '../core/util/untrustedText';
import { serverRowId, toolRowId } from './contextVmTreeIds';
import { ago, dateTime, nameOrKey, tooltipTable } from './format';

/** Tool names listed in a server's tooltip; its rows list them all. */
const TOOLS_IN_TOOLTIP = 20;

/**
 * Rows of the DVMs tree's "MCP servers (ContextVM)" section (DESIGN.md: listed apart from NIP-90 DVMs). Their traffic
 * is ephemeral (relays keep none), so every count says it is live only and since when.
 */
export function serversSectionItem(servers: readonly ContextVmServer[]): vscode.TreeItem {
  const item = new vscode.TreeItem('MCP servers (ContextVM)', vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'contextvm';
  const since = servers[0]?.traffic.since;
  item.description = `${servers.length} · traffic live only${since ? `, since ${dateTime(since)}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('server-environment');
  item.tooltip = 'MCP servers over Nostr: ContextVM (kinds 11316–11320) and DVMCP (31316–31319) announcements. Their requests and responses ' +
    '(25910 / 26910) are ephemeral — relays keep none — so they are counted live only, from when Swarmscope started.';
  return item;
}

export function serverItem(server: ContextVmServer): vscode.TreeItem {
  const item = new vscode.TreeItem(nameOrKey(server.name, server.npub), server.tools.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = serverRowId(server);
  const { requests, responses } = server.traffic;
  item.description = `${server.tools.length} ${server.tools.length === 1 ? 'tool' : 'tools'} · ${requests} req / ${responses} resp live · seen ${ago(server.lastSeen)}`;
  item.iconPath = new vscode.ThemeIcon('server');
  item.contextValue = 'contextVmServer';
  return item;
}

/** Built when hovered, so that "last seen" and the live counts are read then. */
export function serverTooltip(server: ContextVmServer): vscode.MarkdownString {
  const tools = server.tools.slice(0, TOOLS_IN_TOOLTIP).join(', ') + (server.tools.length > TOOLS_IN_TOOLTIP ? `, … (${server.tools.length})` : '');
  return tooltipTable(nameOrKey(server.name, server.npub), [
    ['Pubkey', server.npub],
    ['Protocol', server.protocol === 'contextvm' ? 'ContextVM (CEP-6)' : `DVMCP, server "${server.serverId}"`],
    ...(server.about ? [['About', server.about] as [string, string]] : []),
    ...(server.website ? [['Website', server.website] as [string, string]] : []),
    ['Tools', tools || '–'],
    ['Resources / prompts', `${server.resources} / ${server.prompts}`],
    ['Encryption', server.supportsEncryption ? 'supported (NIP-44)' : 'not announced'],
    ['Relays', server.relays.join(', ') || '–'],
    ['Announced', server.announcedAt ? dateTime(server.announcedAt) : 'no server announcement seen'],
    ['Last seen', ago(server.lastSeen)],
    ['Traffic', `${server.traffic.requests} requests, ${server.traffic.responses} responses — live only, since ${dateTime(server.traffic.since)} (relays keep none of it)`],
  ]);
}

export function toolItem(server: ContextVmServer, tool: string): vscode.TreeItem {
  const item = new vscode.TreeItem(untrustedText(tool, 80) || '(unnamed tool)', vscode.TreeItemCollapsibleState.None);
  item.id = toolRowId(server, tool);
  item.iconPath = new vscode.ThemeIcon('tools');
  return item;
}
