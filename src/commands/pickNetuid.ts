import * as vscode from 'vscode';
import { describeError } from '../core/util/errors';
import { untrustedText } from '../core/util/untrustedText';
import type { SubnetSummary } from '../protocol/bittensorProtocol';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { CommandContext } from './commandContext';

/** The largest netuid the chain's u16 can name. */
const MAX_NETUID = 65_535;

interface NetuidPick extends vscode.QuickPickItem {
  readonly netuid: number;
}

/** What differs between the commands that ask for a subnet. */
export interface NetuidPickOptions {
  readonly placeholder?: string;
  /** How a typed netuid that is not in the list presents itself. */
  readonly unlisted?: { readonly description: string; readonly detail?: string };
  /** With no subnet listed (no list, no snapshot), the netuid is typed into an input box with this prompt instead. */
  readonly noListPrompt?: string;
}

/** The netuid a command was given: a number, or a Subnets-tree row (a subnet, its group or a UID row). */
export function netuidOfTarget(target: unknown): number | undefined {
  if (typeof target === 'number') return Number.isSafeInteger(target) && target >= 0 && target <= MAX_NETUID ? target : undefined;
  if (typeof target !== 'object' || target === null) return undefined;
  const node = target as SubnetNode;
  if (node.type === 'subnet') return node.summary.netuid;
  if (node.type === 'group' || node.type === 'neuron') return node.netuid;
  return undefined;
}

/** A typed netuid ("23"), or undefined when the text is not one. */
export function typedNetuid(value: string): number | undefined {
  const text = value.trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const netuid = Number(text);
  return netuid <= MAX_NETUID ? netuid : undefined;
}

/**
 * A quick pick of the subnets the engine knows (tracked first) that also takes any netuid typed: Enter on "23"
 * opens subnet 23, listed or not. Undefined when dismissed.
 */
export async function pickNetuid(context: CommandContext, title: string, options: NetuidPickOptions = {}): Promise<number | undefined> {
  let subnets: SubnetSummary[] = [];
  try {
    subnets = await context.engine.request('bittensor.subnets', {});
  } catch (error) {
    context.log.warn(`${title}: no subnet list (${describeError(error)}); a netuid can still be typed`);
  }
  if (subnets.length === 0 && options.noListPrompt !== undefined) return askNetuid(title, options.noListPrompt);
  const unlisted = options.unlisted ?? { description: 'netuid' };
  const known: NetuidPick[] = [...subnets.filter((s) => s.tracked), ...subnets.filter((s) => !s.tracked)].map((subnet) => ({
    netuid: subnet.netuid,
    // Chain identity text: a quick pick would draw `$(icon)` in it.
    label: `${subnet.netuid} ${untrustedText(subnet.name)}`.trim(),
    description: `${subnet.validators} validators · ${subnet.uids} UIDs`,
    detail: subnet.tracked ? 'tracked' : undefined,
  }));
  const pick = vscode.window.createQuickPick<NetuidPick>();
  pick.title = title;
  pick.placeholder = options.placeholder ?? 'Pick a subnet, or type its netuid (e.g. 1)';
  pick.matchOnDescription = true;
  pick.items = known;
  pick.onDidChangeValue((value) => {
    const typed = typedNetuid(value);
    if (typed === undefined) {
      pick.items = known;
      return;
    }
    const listed = known.find((item) => item.netuid === typed);
    pick.items = [listed ? { ...listed, alwaysShow: true } : { netuid: typed, label: String(typed), ...unlisted, alwaysShow: true }, ...known.filter((item) => item.netuid !== typed)];
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

async function askNetuid(title: string, prompt: string): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    validateInput: (value) => (typedNetuid(value) === undefined ? `A netuid is a whole number from 0 to ${MAX_NETUID}` : undefined),
  });
  return typed === undefined ? undefined : typedNetuid(typed);
}
