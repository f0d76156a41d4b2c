import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import { untrustedText } from '../core/util/untrustedText';
import type { RelayState } from './sourceState';

/**
 * What an empty DVMs or Kinds view shows when the reason it is empty has words that a welcome text (static, in
 * package.json) cannot carry: no relay reachable, with the first relay's error, or an engine that did not start,
 * with why. Each row leads somewhere: Health, the relay setting, the log. The other empty states are welcome texts
 * chosen by the `swarmscope.relayState` context key.
 */
export interface StateRow {
  readonly type: 'state';
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: string;
  readonly command: vscode.Command;
}

const SHOW_HEALTH: vscode.Command = { command: 'swarmscope.health.focus', title: 'Show Health' };

export function sourceStateRows(view: 'dvms' | 'kinds', state: RelayState): StateRow[] {
  const what = view === 'dvms' ? 'DVM' : 'job kind';
  if (state.kind === 'unreachable') {
    const error = `${untrustedText(state.relay)}: ${untrustedText(state.error)}`;
    return [
      {
        type: 'state', id: `${view}:state:unreachable`, label: `No relay reachable (0 of ${state.total})`, description: error,
        tooltip: `No ${what} can be seen while no relay is reachable; Swarmscope keeps retrying each one.\nFirst error — ${error}\nHealth lists every relay.`,
        icon: 'debug-disconnect', command: SHOW_HEALTH,
      },
      { type: 'state', id: `${view}:state:health`, label: 'Show Health', icon: 'pulse', command: SHOW_HEALTH },
      {
        type: 'state', id: `${view}:state:settings`, label: 'Open relay settings', icon: 'gear',
        command: { command: 'workbench.action.openSettings', title: 'Open relay settings', arguments: ['swarmscope.nostr.relays'] },
      },
    ];
  }
  if (state.kind === 'failed') {
    return [
      {
        type: 'state', id: `${view}:state:failed`, label: 'The engine did not start', description: untrustedText(state.message, 400, 'middle'),
        tooltip: untrustedText(state.message, 1_000, 'middle'), icon: 'error', command: SHOW_HEALTH,
      },
      { type: 'state', id: `${view}:state:health`, label: 'Show Health', icon: 'pulse', command: SHOW_HEALTH },
      { type: 'state', id: `${view}:state:log`, label: 'Show engine log', icon: 'output', command: { command: COMMANDS.showLog, title: 'Show Engine Log' } },
    ];
  }
  return [];
}

export function stateItem(row: StateRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
  item.id = row.id;
  item.description = row.description;
  item.tooltip = row.tooltip;
  item.iconPath = new vscode.ThemeIcon(row.icon);
  item.command = row.command;
  item.contextValue = 'sourceState';
  return item;
}

/** Whether the rows to show changed: a different state, or another first error. */
export function sameRows(a: RelayState, b: RelayState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
