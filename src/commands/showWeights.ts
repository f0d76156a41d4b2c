import * as vscode from 'vscode';
import type { WeightsPanels } from '../panels/panels';
import { untrustedText } from '../core/util/untrustedText';
import type { SubnetSummary } from '../protocol/bittensorProtocol';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/**
 * "Show Weights Matrix": from the palette (asks for a tracked subnet), from a Subnets-tree row (a subnet, its
 * Validators/UIDs group or a UID row all name their netuid), or with a netuid from another command.
 */
export function registerShowWeights(context: CommandContext, weights: WeightsPanels): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showWeights, async (target?: number | SubnetNode) => {
    const netuid = netuidOf(target) ?? (await pickSubnet(context));
    if (netuid === undefined) return;
    weights.show(netuid);
  });
}

function netuidOf(target: number | SubnetNode | undefined): number | undefined {
  if (typeof target === 'number') return Number.isSafeInteger(target) && target >= 0 ? target : undefined;
  if (typeof target !== 'object' || target === null) return undefined;
  if (target.type === 'subnet') return target.summary.netuid;
  if (target.type === 'group' || target.type === 'neuron') return target.netuid;
  return undefined;
}

interface SubnetPick extends vscode.QuickPickItem {
  readonly netuid: number;
}

/** The tracked subnets (every known one when none is tracked); a typed netuid when the engine knows none. */
async function pickSubnet(context: CommandContext): Promise<number | undefined> {
  let subnets: SubnetSummary[];
  try {
    subnets = await context.engine.request('bittensor.subnets', {});
  } catch (error) {
    context.reportError(error, 'list the subnets');
    return undefined;
  }
  const tracked = subnets.filter((subnet) => subnet.tracked);
  const offered = tracked.length > 0 ? tracked : subnets;
  if (offered.length === 0) return askNetuid();
  const items: SubnetPick[] = offered.map((subnet) => ({
    netuid: subnet.netuid,
    // The name is the subnet owner's chain identity; a quick pick would draw `$(icon)` in it.
    label: `${subnet.netuid} ${untrustedText(subnet.name)}`.trim(),
    description: `${subnet.validators} validators · ${subnet.uids} UIDs`,
    detail: subnet.tracked ? 'tracked' : undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Show Weights Matrix',
    placeHolder: 'Subnet whose weights to read from the chain',
    matchOnDescription: true,
  });
  return picked?.netuid;
}

async function askNetuid(): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title: 'Show Weights Matrix',
    prompt: 'Netuid of the subnet whose weights to read',
    validateInput: (value) => (/^\d+$/.test(value.trim()) ? undefined : 'A netuid is a whole number'),
  });
  return typed === undefined ? undefined : Number(typed.trim());
}
