import * as vscode from 'vscode';
import { EventDocumentProvider } from '../views/eventDocumentProvider';
import { COMMANDS } from './commandIds';

/** Accepts what people paste: a hex id, `note1…` or `nevent1…` (NIP-19); the engine resolves and links it. */
const EVENT_REFERENCE = /^([0-9a-f]{64}|note1[02-9ac-hj-np-z]+|nevent1[02-9ac-hj-np-z]+)$/;

export function registerOpenTrace(): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openTrace, async (id?: string) => {
    const chosen = id ?? (await vscode.window.showInputBox({
      prompt: 'Job or event id: hex, note1… or nevent1…',
      placeHolder: 'nevent1…',
      validateInput: (value) => (EVENT_REFERENCE.test(value.trim()) ? undefined : 'Paste a 64-hex event id, a note1… or an nevent1…'),
    }));
    if (!chosen) return;
    const document = await vscode.workspace.openTextDocument(EventDocumentProvider.traceUri(chosen.trim()));
    await vscode.window.showTextDocument(document, { preview: true });
  });
}
