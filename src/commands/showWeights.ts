import * as vscode from 'vscode';
import type { WeightsPanels } from '../panels/panels';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';
import { netuidOfTarget, pickNetuid } from './pickNetuid';

/**
 * "Show Weights Matrix": from the palette (asks for a subnet: any the engine knows, or any netuid typed), from a
 * Subnets-tree row (a subnet, its Validators/UIDs group or a UID row all name their netuid), or with a netuid from
 * another command. The weights are read from the chain, so a subnet need not be tracked or even listed.
 */
export function registerShowWeights(context: CommandContext, weights: WeightsPanels): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showWeights, async (target?: number | SubnetNode) => {
    const netuid = netuidOfTarget(target) ?? (await pickNetuid(context, 'Show Weights Matrix', {
      placeholder: 'Pick a subnet, or type the netuid of any subnet (e.g. 23)',
      unlisted: { description: 'read from the chain', detail: 'Not in the stored subnet list; its weights are read from the endpoint' },
      noListPrompt: 'Netuid of the subnet whose weights to read',
    }));
    if (netuid === undefined) return;
    weights.show(netuid);
  });
}
