import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/**
 * "Filter UIDs…" on the Subnets view: the UIDs lists show only rows matching a UID, or part of a hotkey, coldkey or
 * identity name; a "filter: …" row on top of each list says so and clears it. The context key shows the clear
 * action in the view's menu while a filter is set.
 */
export function registerFilterUids(context: CommandContext): vscode.Disposable {
  const apply = (filter: string) => {
    context.subnets.setFilter(filter);
    void vscode.commands.executeCommand('setContext', 'swarmscope.uidFilter', context.subnets.filter !== '');
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.filterUids, async () => {
      const filter = await vscode.window.showInputBox({
        title: 'Filter UIDs',
        prompt: 'A UID, or part of a hotkey, coldkey or identity name; empty shows every UID',
        value: context.subnets.filter,
      });
      if (filter !== undefined) apply(filter);
    }),
    vscode.commands.registerCommand(COMMANDS.clearUidsFilter, () => apply('')),
  );
}
