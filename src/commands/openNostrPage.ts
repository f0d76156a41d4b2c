import * as vscode from 'vscode';
import { parsePubkey } from '../core/nostr/pubkeyInput';
import type { NostrPagePanels } from '../panels/nostrPagePanels';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';
import { pickDvm } from './pickDvm';

/**
 * "Open DVM Page", "Open Kind Page", "Open User Page": from a tree row (a DVM, a kind, a DVM under a kind, a watched
 * DVM), from another command or panel with the key itself, or from the palette (a list of DVMs, or a typed key).
 * Every target shape is read defensively: rows of several trees reach these commands.
 */
export function registerOpenNostrPages(context: CommandContext, pages: NostrPagePanels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.openDvmPage, async (target?: unknown) => {
      const pubkey = dvmOf(target) ?? (await chooseDvm(context));
      if (pubkey) pages.show({ type: 'dvm', id: pubkey });
    }),
    vscode.commands.registerCommand(COMMANDS.openKindPage, async (target?: unknown) => {
      const kind = kindOf(target) ?? (await askKind());
      if (kind !== undefined) pages.show({ type: 'kind', id: String(kind) });
    }),
    vscode.commands.registerCommand(COMMANDS.openUserPage, async (target?: unknown) => {
      const pubkey = (typeof target === 'string' ? parsePubkey(target) : undefined) ?? (await askPubkey('User public key (hex, npub1… or nprofile1…)'));
      if (pubkey) pages.show({ type: 'user', id: pubkey });
    }),
  );
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** A pubkey, a DVMs-tree row (`summary.pubkey`), a Kinds-tree DVM row (`dvm.pubkey`) or a Watched row (`domain: 'dvm'`, `key`). */
export function dvmOf(target: unknown): string | undefined {
  if (typeof target === 'string') return parsePubkey(target);
  const candidates = [field(field(target, 'summary'), 'pubkey'), field(field(target, 'dvm'), 'pubkey'), field(target, 'domain') === 'dvm' ? field(target, 'key') : undefined];
  for (const candidate of candidates) {
    if (typeof candidate === 'string') return parsePubkey(candidate);
  }
  return undefined;
}

/** A kind number, a Kinds-tree row (`summary.kind`) or a DVMs-tree kind row (`kind`). */
export function kindOf(target: unknown): number | undefined {
  const candidates = [target, field(field(target, 'summary'), 'kind'), field(target, 'kind')];
  for (const candidate of candidates) {
    if (typeof candidate === 'number' && Number.isSafeInteger(candidate) && candidate >= 0 && candidate <= 65_535) return candidate;
  }
  return undefined;
}

async function chooseDvm(context: CommandContext): Promise<string | undefined> {
  const picked = await pickDvm(context, 'Open DVM Page');
  if (picked === undefined) return undefined;
  return picked === null ? askPubkey('DVM public key (hex, npub1… or nprofile1…)') : picked.key;
}

async function askPubkey(prompt: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({ prompt, validateInput: (input) => (parsePubkey(input) ? undefined : 'Not a public key: 64 hex characters, npub1… or nprofile1…') });
  return value ? parsePubkey(value) : undefined;
}

async function askKind(): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({ prompt: 'Job kind (e.g. 5050; a result kind 6xxx opens its request kind)', validateInput: (input) => (kindOf(Number(input.trim())) === undefined || input.trim() === '' ? 'A kind is a whole number from 0 to 65535' : undefined) });
  return value ? kindOf(Number(value.trim())) : undefined;
}
