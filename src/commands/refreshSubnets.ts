import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

export function registerRefreshSubnets(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.refreshSubnets, () =>
    vscode.window.withProgress({ location: { viewId: 'swarmscope.subnets' }, title: 'Reading subnets' }, async () => {
      try {
        await context.engine.request('bittensor.subnets', { refresh: true });
        context.subnets.refresher.refresh();
      } catch (error) {
        context.reportError(error, 'read the subnets');
      }
    }),
  );
}
