import * as vscode from 'vscode';
import type { DvmSummary } from '../protocol/nostrProtocol';
import { nameOrKey, shortKey } from '../views/format';
import type { CommandContext } from './commandContext';

/** DVMs offered at once, busiest first; the rest are reached by typing a key. */
const OFFERED = 200;

interface DvmPick extends vscode.QuickPickItem {
  readonly dvm?: DvmSummary;
}

/**
 * Chooses a DVM the engine has seen, by name (busiest first), or "a public key…" for one it has not. Names are what
 * DVMs call themselves: sanitised for the list, since a quick pick draws `$(icon)` syntax and bidi overrides could
 * make one name pose as another.
 * Returns the pubkey and the name to pin it with, `null` for "type a key", undefined when dismissed.
 */
export async function pickDvm(context: CommandContext, title: string): Promise<{ key: string; label?: string } | null | undefined> {
  let dvms: DvmSummary[];
  try {
    dvms = await context.engine.request('nostr.dvms', { limit: OFFERED });
  } catch (error) {
    context.reportError(error, 'list the DVMs');
    return undefined;
  }
  if (dvms.length === 0) return null;
  const items: DvmPick[] = [
    ...dvms.map((dvm) => ({
      dvm,
      label: nameOrKey(dvm.name, dvm.npub),
      description: shortKey(dvm.npub),
      detail: `${dvm.status} · ${dvm.jobs} jobs · kinds ${dvm.kinds.join(', ') || '–'}${dvm.pinned ? ' · watched' : ''}`,
    })),
    { label: 'A public key…', description: 'a DVM not listed here', alwaysShow: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'DVM to watch', matchOnDescription: true });
  if (!picked) return undefined;
  if (!picked.dvm) return null;
  // Kept as the DVM gave it, like any stored name: every surface sanitises what it shows.
  return { key: picked.dvm.pubkey, label: picked.dvm.name };
}
