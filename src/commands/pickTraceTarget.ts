import * as vscode from 'vscode';
import { parseEventReference } from '../core/nostr/eventId';
import { untrustedText } from '../core/util/untrustedText';
import type { RecentJob } from '../protocol/nostrProtocol';
import { ago, nameOrKey, seconds } from '../views/format';
import type { CommandContext } from './commandContext';

/** DVMDash's debug page listed this many jobs. */
export const RECENT_JOBS = 200;

interface TracePick extends vscode.QuickPickItem {
  /** What to trace: a request id, or the reference the user typed. */
  readonly reference: string;
}

/**
 * "Open Job Trace" with no id: the 200 newest jobs (kind name, DVM, status, age), newest first, and whatever the user
 * types or pastes that reads as an event reference (hex, note1…, nevent1…) offered on top. Names and kind names are
 * what DVMs chose: sanitised, since a quick pick draws `$(icon)` syntax. Resolves to the reference, or undefined.
 */
export async function pickTraceTarget(context: CommandContext): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<TracePick>();
  pick.title = 'Open Job Trace';
  pick.placeholder = 'Paste an event id (hex, note1…, nevent1…) or pick one of the recent jobs';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  let recent: TracePick[] = [];
  const offer = () => {
    const typed = pick.value.trim();
    const reference = parseEventReference(typed);
    pick.items = reference
      ? [{ reference: typed, label: `Trace ${typed.length > 40 ? `${typed.slice(0, 30)}…${typed.slice(-6)}` : typed}`, description: 'the job of this event, and its chain', alwaysShow: true }, ...recent]
      : recent;
  };
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidChangeValue(offer);
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        resolve(chosen?.reference);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
      context.engine.request('nostr.recentJobs', { limit: RECENT_JOBS }).then((jobs) => {
        recent = jobs.map(recentJobPick);
        offer();
      }, (error: unknown) => {
        pick.placeholder = 'Paste an event id (hex, note1…, nevent1…); the recent jobs could not be read';
        context.log.warn(`recent jobs: ${String(error)}`);
      }).finally(() => (pick.busy = false));
    });
  } finally {
    pick.dispose();
  }
}

function recentJobPick(job: RecentJob): TracePick {
  const dvm = job.dvm ? nameOrKey(job.dvmName, job.dvm) : 'no DVM answered';
  const others = job.dvmCount > 1 ? ` +${job.dvmCount - 1} DVMs` : '';
  return {
    reference: job.requestId,
    label: `${job.kind} ${untrustedText(job.kindName)}`.trim(),
    description: `${dvm}${others} · ${job.status}${job.responseSec !== null ? ` in ${seconds(job.responseSec)}` : ''}`,
    detail: `${ago(job.createdAt)} · ${job.requestId.slice(0, 16)}…${job.encrypted ? ' · encrypted' : ''}`,
  };
}
