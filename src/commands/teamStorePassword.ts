import * as vscode from 'vscode';
import type { TeamStorePassword } from '../identity/teamStorePassword';
import { COMMANDS } from './commandIds';

/**
 * "Set Team Store Password…": typed into a masked box and kept in SecretStorage only; "Clear" removes it (the engine
 * then takes PGPASSWORD or ~/.pgpass). Either way the engine restarts on the store with what is kept now.
 */
export function registerTeamStorePassword(password: TeamStorePassword, restartEngine: () => Promise<void>): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.setTeamStorePassword, async () => {
    const set = 'Set Password…';
    const clear = 'Clear';
    const choice = await vscode.window.showQuickPick([set, clear], {
      title: 'Swarmscope: Team Store Password', placeHolder: 'The password for swarmscope.storage.url, kept in the OS keychain only',
    });
    if (choice === clear) {
      await password.clear();
      void vscode.window.showInformationMessage('The team store password was cleared; PGPASSWORD or ~/.pgpass is used if set.');
    } else if (choice === set) {
      const text = await vscode.window.showInputBox({
        title: 'Set Team Store Password', prompt: 'The PostgreSQL password for swarmscope.storage.url; it is kept in the OS keychain only',
        password: true, ignoreFocusOut: true,
      });
      if (text === undefined || text === '') return;
      await password.set(text);
    } else {
      return;
    }
    await restartEngine();
  });
}
