import * as vscode from 'vscode';
import type { PlaygroundPanels } from '../panels/panels';
import type { MyJobsNode } from '../views/myJobsItems';
import { COMMANDS } from './commandIds';

/** A DVM row of the DVMs tree, as its context menu hands it over. */
type DvmRow = { readonly type?: unknown; readonly summary?: { readonly pubkey?: unknown } } | undefined;

/**
 * "Post Test Job" (palette), "Send Test Job…" (a DVM row: that DVM is the target) and "Post Again with Changes…"
 * (a row of My jobs: the form filled from that job).
 */
export function registerPostTestJob(playground: PlaygroundPanels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.postTestJob, () => void playground.show({})),
    vscode.commands.registerCommand(COMMANDS.sendTestJob, (row: DvmRow) => {
      const pubkey = row?.summary?.pubkey;
      void playground.show(typeof pubkey === 'string' ? { target: pubkey } : {});
    }),
    vscode.commands.registerCommand(COMMANDS.postAgain, (row: MyJobsNode | undefined) => {
      void playground.show(row?.domain === 'myJob' ? { again: row.job.requestId } : {});
    }),
  );
}
