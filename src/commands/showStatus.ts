import * as vscode from 'vscode';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/** A one-line summary of engine health, then the Health view for the details. */
export function registerShowStatus(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showStatus, async () => {
    try {
      const status = await context.engine.request('engine.status', {});
      const connected = status.collectors.filter((collector) => collector.state === 'connected').length;
      const dropped = Object.values(status.dropped).reduce((sum, count) => sum + count, 0);
      const problems = status.settingErrors.length + (status.lastFlushError ? 1 : 0);
      const message = `Swarmscope engine: ${status.state} · database ${(status.dbBytes / 1024 / 1024).toFixed(1)} MB · ` +
        `sources ${connected}/${status.collectors.length} connected · ${dropped} dropped${problems ? ` · ${problems} problem(s), see Health` : ''}`;
      void vscode.window.showInformationMessage(message, 'Show Health', 'Show Log').then((choice) => {
        if (choice === 'Show Health') void vscode.commands.executeCommand('swarmscope.health.focus');
        if (choice === 'Show Log') context.log.show(true);
      });
    } catch (error) {
      context.reportError(error, 'read the engine status');
    }
  });
}
