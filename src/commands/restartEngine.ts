import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

export function registerRestartEngine(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.restartEngine, () =>
    vscode.window.withProgress({ location: { viewId: 'swarmscope.health' }, title: 'Restarting the Swarmscope engine' }, () => context.restartEngine()),
  );
}
