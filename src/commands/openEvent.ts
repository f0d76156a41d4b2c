import * as vscode from 'vscode';
import { EventDocumentProvider } from '../views/eventDocumentProvider';
import { COMMANDS } from './commandIds';

const HEX_ID = /^[0-9a-f]{64}$/;

/** Opens one stored event's signed JSON in a read-only editor tab (from a job row, or with an id). */
export function registerOpenEvent(): vscode.Disposable {
  // From a job row's context menu the argument is the row itself.
  return vscode.commands.registerCommand(COMMANDS.openEvent, async (target?: string | { readonly job?: { readonly requestId?: unknown } }) => {
    const id = typeof target === 'string' ? target : typeof target?.job?.requestId === 'string' ? target.job.requestId : undefined;
    const chosen = id ?? (await vscode.window.showInputBox({
      prompt: 'Event id (64 hex characters)',
      validateInput: (value) => (HEX_ID.test(value.trim()) ? undefined : 'An event id is 64 hex characters'),
    }));
    if (!chosen) return;
    // The .json path gives the tab JSON highlighting; the content provider makes it read-only.
    const document = await vscode.workspace.openTextDocument(EventDocumentProvider.eventUri(chosen.trim()));
    await vscode.window.showTextDocument(document, { preview: true });
  });
}
