import * as vscode from 'vscode';
import { DASHBOARD } from '../panels/dashboardPanel';
import type { DashboardPanels } from '../panels/panels';
import { COMMANDS } from './commandIds';

export function registerOpenDashboard(dashboard: DashboardPanels): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openDashboard, () => {
    dashboard.show(DASHBOARD);
  });
}
