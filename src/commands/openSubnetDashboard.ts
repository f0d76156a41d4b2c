import * as vscode from 'vscode';
import type { SubnetPanels } from '../panels/panels';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';
import { netuidOfTarget, pickNetuid } from './pickNetuid';

/** "Open Subnet Dashboard": from a subnet row's icon, or the palette (a quick pick of subnets, or a typed netuid). */
export function registerOpenSubnetDashboard(context: CommandContext, panels: SubnetPanels): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openSubnetDashboard, async (target?: unknown) => {
    const netuid = netuidOfTarget(target) ?? (await pickNetuid(context, 'Open Subnet Dashboard'));
    if (netuid !== undefined) panels.show(netuid);
  });
}
