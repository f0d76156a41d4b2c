import * as vscode from 'vscode';
import { validateSettings } from '../core/config/settings';
import { readRawSettings } from '../configuration';
import type { PlaygroundActions } from './playgroundPanel';

/** What the playground asks of VS Code: links and wallets through openExternal, the clipboard, a trace panel. */
export function playgroundActions(options: { openTrace(requestId: string): void }): PlaygroundActions {
  return {
    openExternal: async (uri) => {
      // Parsed strictly: a link from a DVM goes to the OS as the URI it is, not as a command or a file.
      await vscode.env.openExternal(vscode.Uri.parse(uri, true));
    },
    copy: async (text) => {
      await vscode.env.clipboard.writeText(text);
    },
    openTrace: (requestId) => options.openTrace(requestId),
    configuredRelays: () => validateSettings(readRawSettings()).settings.relays,
  };
}
