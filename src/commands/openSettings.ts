import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';

export function registerOpenSettings(): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openSettings, () =>
    vscode.commands.executeCommand('workbench.action.openSettings', '@ext:swarmscope.swarmscope'),
  );
}
