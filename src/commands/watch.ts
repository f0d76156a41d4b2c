import * as vscode from 'vscode';
import type { DvmNode } from '../views/dvmTreeProvider';
import type { SubnetNode } from '../views/subnetTreeProvider';
import type { WatchedNode } from '../views/watchedTreeProvider';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';
import { pickDvm } from './pickDvm';

type Target = DvmNode | SubnetNode | WatchedNode | undefined;

/** Watch / unwatch a DVM or a hotkey: one pin in the engine, shown in the Watched view and never evicted. */
export function registerWatchCommands(context: CommandContext): vscode.Disposable {
  const pin = async (domain: 'dvm' | 'hotkey', target: Target, pinned: boolean) => {
    const resolved = resolveTarget(domain, target) ?? (await chooseKey(context, domain, pinned));
    if (!resolved) return;
    try {
      await context.engine.request('engine.pin', { domain, key: resolved.key, label: resolved.label, pinned });
      await context.reloadPins();
    } catch (error) {
      context.reportError(error, pinned ? 'watch it' : 'stop watching it');
    }
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.watchDvm, (target: Target) => pin('dvm', target, true)),
    vscode.commands.registerCommand(COMMANDS.unwatchDvm, (target: Target) => pin('dvm', target, false)),
    vscode.commands.registerCommand(COMMANDS.watchHotkey, (target: Target) => pin('hotkey', target, true)),
    vscode.commands.registerCommand(COMMANDS.unwatchHotkey, (target: Target) => pin('hotkey', target, false)),
  );
}

function resolveTarget(domain: 'dvm' | 'hotkey', target: Target): { key: string; label?: string } | undefined {
  if (!target) return undefined;
  if ('domain' in target) return target.domain === domain ? { key: target.key, label: target.label } : undefined;
  if (domain === 'dvm' && target.type === 'dvm' && 'summary' in target) return { key: target.summary.pubkey, label: target.summary.name };
  if (domain === 'hotkey' && target.type === 'neuron') return { key: target.neuron.hotkey, label: `SN${target.netuid} UID ${target.neuron.uid}` };
  return undefined;
}

/** From the palette or the Watched view's title: a known DVM from a list; otherwise (or on request) a typed key. */
async function chooseKey(context: CommandContext, domain: 'dvm' | 'hotkey', pinned: boolean): Promise<{ key: string; label?: string } | undefined> {
  if (domain === 'dvm' && pinned) {
    const picked = await pickDvm(context, 'Watch DVM');
    if (picked !== null) return picked;
  }
  return askKey(domain);
}

async function askKey(domain: 'dvm' | 'hotkey'): Promise<{ key: string; label?: string } | undefined> {
  const value = await vscode.window.showInputBox({
    prompt: domain === 'dvm' ? 'DVM public key (64 hex characters)' : 'Hotkey (SS58 address)',
    validateInput: (input) => {
      if (domain === 'dvm') return /^[0-9a-f]{64}$/.test(input.trim()) ? undefined : 'A public key is 64 hex characters';
      return /^[1-9A-HJ-NP-Za-km-z]{46,48}$/.test(input.trim()) ? undefined : 'A hotkey is an SS58 address (47–48 base58 characters)';
    },
  });
  return value ? { key: value.trim() } : undefined;
}
