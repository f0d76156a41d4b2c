import * as path from 'node:path';
import * as vscode from 'vscode';
import { untrustedText } from '../core/util/untrustedText';
import type { IngestResult } from '../protocol/nostrProtocol';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';

/**
 * Swarmscope: Import Events… — the CLI's `ingest` from the palette (issue 9, item 10): relays are asked only for the
 * raw window, so older events come in from a file (a JSON array or JSON lines of signed events), verified like live
 * ones. The engine reads the file; the notification shows its progress, then what was accepted, already there
 * (duplicates) and rejected, by reason.
 */
export function registerImportEvents(context: CommandContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.importEvents, async (given?: vscode.Uri) => {
    const file = given ?? (await vscode.window.showOpenDialog({
      title: 'Import Nostr events (a JSON array or JSON lines of signed events)',
      openLabel: 'Import',
      canSelectMany: false,
      filters: { 'Nostr events': ['json', 'jsonl', 'ndjson'], 'All files': ['*'] },
    }))?.[0];
    if (!file) return;
    const name = path.basename(file.fsPath);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Swarmscope: importing ${name}` },
        (progress) => {
          let reported = 0;
          const listening = context.notifications((notification) => {
            if (notification.topic !== 'engine.importProgress' || notification.payload.file !== file.fsPath) return;
            const { done, total } = notification.payload;
            const share = total > 0 ? (done / total) * 100 : 100;
            progress.report({ message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events`, increment: share - reported });
            reported = share;
          });
          return context.engine.request('engine.importEvents', { file: file.fsPath }).finally(() => listening.dispose());
        },
      );
      const summary = `Swarmscope imported ${name}: ${importSummary(result, result.events)}`;
      context.log.info(summary);
      const show = Object.keys(result.rejected).length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(summary);
    } catch (error) {
      context.reportError(error, `import ${untrustedText(name)}`);
    }
  });
}

/** "3 events: 2 accepted, 1 duplicate, 0 rejected" with the reasons of what was rejected. */
export function importSummary(result: IngestResult, events: number): string {
  const rejected = Object.values(result.rejected).reduce((sum, count) => sum + count, 0);
  const reasons = Object.entries(result.rejected).map(([reason, count]) => `${reason} ${count}`).join(', ');
  const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(events, 'event')}: ${result.accepted.toLocaleString('en-US')} accepted, ${plural(result.duplicates, 'duplicate')}, ${rejected.toLocaleString('en-US')} rejected${reasons ? ` (${reasons})` : ''}`;
}
