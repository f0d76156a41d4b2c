import * as vscode from 'vscode';
import { HistoryBackfillStatusBar } from '../views/historyBackfillStatusBar';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/**
 * The history backfill from the editor (issue 12): its progress in the status bar, fed by the engine's
 * `nostr.historyBackfill` notifications (and read once whenever the engine reports its status, so a window that
 * opens during a run shows it at once); "Swarmscope: Cancel History Backfill" (also a click on the item) and
 * "Swarmscope: Backfill History", which goes on from where a cancel or the size budget stopped it.
 */
export function registerHistoryBackfill(context: CommandContext): vscode.Disposable {
  const item = new HistoryBackfillStatusBar();
  const refresh = () => context.engine.request('nostr.historyBackfill', {}).then((status) => item.update(status), () => undefined);
  const listening = context.notifications((notification) => {
    if (notification.topic === 'nostr.historyBackfill') item.update(notification.payload);
    else if (notification.topic === 'engine.status') void refresh();
  });
  const cancel = vscode.commands.registerCommand(COMMANDS.cancelHistoryBackfill, async () => {
    try {
      const status = await context.engine.request('nostr.cancelHistoryBackfill', {});
      item.update(status);
      void vscode.window.showInformationMessage(`Swarmscope: ${status.message}.`);
    } catch (error) {
      context.reportError(error, 'cancel the history backfill');
    }
  });
  const start = vscode.commands.registerCommand(COMMANDS.startHistoryBackfill, async () => {
    try {
      const status = await context.engine.request('nostr.startHistoryBackfill', {});
      item.update(status);
      // Running shows in the status bar; anything else (off, done, over the budget) would otherwise say nothing.
      if (status.state !== 'running') void vscode.window.showInformationMessage(`Swarmscope: ${status.message}.`);
    } catch (error) {
      context.reportError(error, 'start the history backfill');
    }
  });
  return vscode.Disposable.from(start, cancel, listening, item);
}
