import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { NostrPageActions } from './nostrPagePanel';

/** What the page panel asks of VS Code: a job's trace, and a pin through the Watch DVM command (which reports its own errors). */
export function nostrPageActions(): NostrPageActions {
  return {
    openTrace: (requestId) => void vscode.commands.executeCommand(COMMANDS.openTrace, requestId),
    watch: async (pubkey) => {
      await vscode.commands.executeCommand(COMMANDS.watchDvm, { domain: 'dvm', key: pubkey });
      return 'Watching this DVM: it stays in the Watched view and is never evicted.';
    },
  };
}
