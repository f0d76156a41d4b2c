import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ExportFormat } from '../protocol/subnetPanelProtocol';
import type { SubnetActions } from './subnetPanel';

const FILTERS: Record<ExportFormat, Record<string, string[]>> = { csv: { CSV: ['csv'] }, json: { JSON: ['json'] } };

/** The subnet panel's save dialog. */
export function subnetActions(): SubnetActions {
  return {
    save: async (suggestedName, format, text) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      const target = await vscode.window.showSaveDialog({
        title: 'Export Metagraph',
        saveLabel: 'Export',
        defaultUri: vscode.Uri.joinPath(folder, suggestedName),
        filters: FILTERS[format],
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      return target.scheme === 'file' ? target.fsPath : target.toString();
    },
  };
}
