import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/** The UIDs ordering in the Subnets view; the context key picks which menu entry shows. */
export function registerSortUids(context: CommandContext): vscode.Disposable {
  const set = (sort: 'incentive' | 'stake') => {
    context.subnets.setSort(sort);
    void vscode.commands.executeCommand('setContext', 'swarmscope.uidSort', sort);
  };
  set('incentive');
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.sortUidsByIncentive, () => set('incentive')),
    vscode.commands.registerCommand(COMMANDS.sortUidsByStake, () => set('stake')),
  );
}
