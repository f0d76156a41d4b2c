import * as vscode from 'vscode';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/** "Snapshot now": the update action of an out-of-date subnet, and a way to take one on demand. */
export function registerSnapshotSubnet(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.snapshotSubnet, async (node?: SubnetNode) => {
    let netuid = node?.type === 'subnet' ? node.summary.netuid : undefined;
    if (netuid === undefined) {
      const typed = await vscode.window.showInputBox({ prompt: 'Netuid to snapshot', validateInput: (value) => (/^\d+$/.test(value) ? undefined : 'A netuid is a whole number') });
      if (typed === undefined) return;
      netuid = Number(typed);
    }
    const chosen = netuid;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Snapshot of subnet ${chosen}` }, async () => {
      try {
        const snapshot = await context.engine.request('bittensor.snapshot', { netuid: chosen });
        context.subnets.changed([chosen]);
        void vscode.window.showInformationMessage(`Subnet ${chosen}: snapshot at block ${snapshot.block} with ${snapshot.n} UIDs stored.`);
      } catch (error) {
        context.reportError(error, `snapshot subnet ${chosen}`);
      }
    });
  });
}
