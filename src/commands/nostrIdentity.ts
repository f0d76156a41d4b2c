import * as vscode from 'vscode';
import { describeError } from '../core/util/errors';
import type { NostrIdentity } from '../identity/nostrIdentity';
import { COMMANDS } from './commandIds';

/**
 * Show / import / delete the Nostr key that signs test jobs. The key is typed into a masked box and goes straight
 * to SecretStorage; messages show the npub only, and a refused key is never quoted back.
 */
export function registerIdentityCommands(identity: NostrIdentity): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.showIdentity, async () => {
      const existed = await identity.exists();
      const npub = await identity.npub();
      const copy = 'Copy npub';
      const choice = await vscode.window.showInformationMessage(
        `${existed ? 'Your' : 'A new'} Nostr identity for test jobs: ${npub}${existed ? '' : ' (made now and kept in the OS keychain)'}`, copy,
      );
      if (choice === copy) await vscode.env.clipboard.writeText(npub);
    }),
    vscode.commands.registerCommand(COMMANDS.importKey, async () => {
      const text = await vscode.window.showInputBox({
        title: 'Import Nostr Key', prompt: 'Your secret key (nsec1… or 64 hex characters); it is kept in the OS keychain only',
        password: true, ignoreFocusOut: true,
      });
      if (!text) return;
      try {
        const npub = await identity.import(text);
        void vscode.window.showInformationMessage(`Test jobs are now signed as ${npub}.`);
      } catch (error) {
        void vscode.window.showErrorMessage(`That key was not imported: ${describeError(error)}`);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.deleteKey, async () => {
      if (!(await identity.exists())) {
        void vscode.window.showInformationMessage('No Nostr key is kept.');
        return;
      }
      const remove = 'Delete';
      const choice = await vscode.window.showWarningMessage('Delete the Nostr key that signs your test jobs? Jobs posted with it can no longer be cancelled or their encrypted answers read.', { modal: true }, remove);
      if (choice !== remove) return;
      await identity.delete();
      void vscode.window.showInformationMessage('The Nostr key was deleted; a new one is made when you next post a job.');
    }),
  );
}
