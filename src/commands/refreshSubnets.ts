import * as vscode from 'vscode';
import { MESSAGE_MAX_LENGTH, untrustedText } from '../core/util/untrustedText';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/**
 * Reads the chain's subnet list now. A list the node could not give (or gave only in part) is said in a
 * notification as well as in the Subnets view's top row: the rows alone look the same as after a good refresh.
 */
export function registerRefreshSubnets(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.refreshSubnets, () =>
    vscode.window.withProgress({ location: { viewId: 'swarmscope.subnets' }, title: 'Reading subnets' }, async () => {
      try {
        const subnets = await context.engine.request('bittensor.subnets', { refresh: true });
        context.subnets.refresher.refresh();
        const status = await context.engine.request('bittensor.listStatus', {});
        if (status.outcome !== 'failed' && status.outcome !== 'partial') return;
        const problem = untrustedText(status.problems[0] ?? 'no answer', MESSAGE_MAX_LENGTH, 'middle');
        const from = untrustedText(status.endpoint ?? 'the endpoint');
        const message = status.outcome === 'failed'
          ? `Swarmscope could not read the subnet list from ${from}: ${problem}. Showing ${subnets.length} subnet${subnets.length === 1 ? '' : 's'} from stored snapshots.`
          : `Swarmscope read the subnet list from ${from} only in part (${status.problems.length} of its sources failed): ${problem}`;
        // Not awaited: the view's progress bar ends with the read, not when the message is dismissed.
        void vscode.window.showWarningMessage(message, 'Show Log', 'Open Settings').then((choice) => {
          if (choice === 'Show Log') context.log.show(true);
          if (choice === 'Open Settings') void vscode.commands.executeCommand(COMMANDS.openSettings);
        });
      } catch (error) {
        context.reportError(error, 'read the subnets');
      }
    }),
  );
}
