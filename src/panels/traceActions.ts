import * as os from 'node:os';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { TraceActions } from './tracePanel';

/** What the trace panel asks of VS Code: an editor tab, the DVMs tree, a DVM's page, the playground, the clipboard, a save dialog. */
export function traceActions(options: { revealDvm(pubkey: string): Promise<boolean> }): TraceActions {
  return {
    openEvent: (id) => void vscode.commands.executeCommand(COMMANDS.openEvent, id),
    revealDvm: (pubkey) => options.revealDvm(pubkey),
    openDvmPage: (pubkey) => void vscode.commands.executeCommand(COMMANDS.openDvmPage, pubkey),
    // "Post Again with Changes…" takes a row of My jobs; any job's request fills the form the same way.
    sendTestJob: (requestId) => void vscode.commands.executeCommand(COMMANDS.postAgain, { domain: 'myJob', job: { requestId } }),
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
