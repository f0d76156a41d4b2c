import * as vscode from 'vscode';
import { DashboardPanel } from '../panels/dashboardPanel';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

export function registerOpenDashboard(context: CommandContext, extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openDashboard, () => {
    DashboardPanel.show(extensionUri, context.engine, () => void vscode.commands.executeCommand('swarmscope.kinds.focus'));
  });
}
