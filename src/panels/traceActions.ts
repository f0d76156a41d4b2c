import * as os from 'node:os';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { TraceActions } from './tracePanel';

/** What the trace panel asks of VS Code: an editor tab, the DVMs tree, the clipboard, a save dialog. */
export function traceActions(options: { revealDvm(pubkey: string): Promise<boolean> }): TraceActions {
  return {
    openEvent: (id) => void vscode.commands.executeCommand(COMMANDS.openEvent, id),
    revealDvm: (pubkey) => options.revealDvm(pubkey),
    copy: async (text) => {
      await vscode.env.clipboard.writeText(text);
    },
    saveJson: async (suggestedName, text) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      const target = await vscode.window.showSaveDialog({
        title: 'Export Job Trace',
        saveLabel: 'Export',
        defaultUri: vscode.Uri.joinPath(folder, suggestedName),
        filters: { JSON: ['json'] },
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      return target.scheme === 'file' ? target.fsPath : target.toString();
    },
  };
}
