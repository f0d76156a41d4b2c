import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

export function registerShowLog(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showLog, () => context.log.show(true));
}
