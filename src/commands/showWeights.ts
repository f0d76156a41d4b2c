import * as vscode from 'vscode';
import type { WeightsPanels } from '../panels/panels';
import { describeError } from '../core/util/errors';
import { untrustedText } from '../core/util/untrustedText';
import type { SubnetSummary } from '../protocol/bittensorProtocol';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/** The largest netuid the chain's u16 can name. */
const MAX_NETUID = 65_535;

/**
 * "Show Weights Matrix": from the palette (asks for a subnet: any the engine knows, or any netuid typed), from a
 * Subnets-tree row (a subnet, its Validators/UIDs group or a UID row all name their netuid), or with a netuid from
 * another command. The weights are read from the chain, so a subnet need not be tracked or even listed.
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

/**
 * Every subnet the engine knows (tracked first), and whatever netuid is typed: "23" offers subnet 23, listed or not
 * (the quick pick ranks the label that starts with what was typed first, so Enter opens it). Undefined when dismissed.
 */
async function pickSubnet(context: CommandContext): Promise<number | undefined> {
  let subnets: SubnetSummary[] = [];
  try {
    subnets = await context.engine.request('bittensor.subnets', {});
  } catch (error) {
    // The chain may still answer for a typed netuid.
    context.log.warn(`Show Weights Matrix: no subnet list (${describeError(error)}); a netuid can still be typed`);
  }
  if (subnets.length === 0) return askNetuid();
  const known = [...subnets.filter((subnet) => subnet.tracked), ...subnets.filter((subnet) => !subnet.tracked)].map(subnetPick);
  const pick = vscode.window.createQuickPick<SubnetPick>();
  pick.title = 'Show Weights Matrix';
  pick.placeholder = 'Pick a subnet, or type the netuid of any subnet (e.g. 23)';
  pick.matchOnDescription = true;
  pick.items = known;
  pick.onDidChangeValue((value) => {
    const typed = typedNetuid(value);
    if (typed === undefined) {
      pick.items = known;
      return;
    }
    const listed = known.find((item) => item.netuid === typed);
    const first: SubnetPick = listed ? { ...listed, alwaysShow: true } : {
      netuid: typed, label: String(typed), description: 'read from the chain', detail: 'Not in the stored subnet list; its weights are read from the endpoint', alwaysShow: true,
    };
    pick.items = [first, ...known.filter((item) => item.netuid !== typed)];
  });
  return new Promise((resolve) => {
    let chosen: number | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0]?.netuid ?? pick.activeItems[0]?.netuid ?? typedNetuid(pick.value);
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}

function subnetPick(subnet: SubnetSummary): SubnetPick {
  return {
    netuid: subnet.netuid,
    // The name is the subnet owner's chain identity; a quick pick would draw `$(icon)` in it.
    label: `${subnet.netuid} ${untrustedText(subnet.name)}`.trim(),
    description: `${subnet.validators} validators · ${subnet.uids} UIDs`,
    detail: subnet.tracked ? 'tracked' : undefined,
  };
}

/** Nothing to pick from (no list, no snapshot): the netuid is typed. */
async function askNetuid(): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title: 'Show Weights Matrix',
    prompt: 'Netuid of the subnet whose weights to read',
    validateInput: (value) => (typedNetuid(value) === undefined ? `A netuid is a whole number from 0 to ${MAX_NETUID}` : undefined),
  });
  return typed === undefined ? undefined : typedNetuid(typed);
}

function typedNetuid(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const netuid = Number(text);
  return netuid <= MAX_NETUID ? netuid : undefined;
}
