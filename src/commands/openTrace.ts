import * as vscode from 'vscode';
import { parseEventReference } from '../core/nostr/eventId';
import { MESSAGE_MAX_LENGTH, untrustedText } from '../core/util/untrustedText';
import type { TracePanels } from '../panels/tracePanels';
import type { TraceFetchReport, TraceGraphResult } from '../protocol/nostrProtocol';
import type { CommandContext } from './commandContext';
import { COMMANDS } from './commandIds';
import { pickTraceTarget } from './pickTraceTarget';

/** A trace read from the store answers in milliseconds; a fetch from relays can take up to 20 s: only that shows progress. */
const PROGRESS_AFTER_MS = 400;

/** What the command accepts: an id or reference (palette, other commands, the dashboard), or a job row of a tree. */
type TraceTarget = string | { readonly job?: { readonly requestId?: unknown } } | undefined;

/**
 * "Open Job Trace": the job of any of its events (request, feedback, result, invoice's feedback, a sub-job), with
 * its whole chain, in a trace panel that highlights the asked event. An event missing from the database is fetched
 * with its job and chain from the configured relays and an nevent's relay hints.
 */
export function registerOpenTrace(context: CommandContext, traces: TracePanels): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openTrace, async (target?: TraceTarget) => {
    const reference = referenceOf(target) ?? (await pickTraceTarget(context));
    if (!reference) return;
    const parsed = parseEventReference(reference);
    if (!parsed) {
      void vscode.window.showErrorMessage('Open Job Trace: that is not an event id (64 hex characters, note1… or nevent1…).');
      return;
    }
    const read = context.engine.request('nostr.traceGraph', { id: reference, fetch: true });
    // The panel opens while the engine reads: VS Code builds its page meanwhile (about a second).
    const opening = traces.opening(parsed.id);
    let result: TraceGraphResult;
    try {
      result = await withLateProgress(read);
    } catch (error) {
      opening.cancel();
      context.reportError(error, 'read the job trace');
      return;
    }
    const { graph, fetched } = result;
    if (!graph) {
      opening.cancel();
      void vscode.window.showWarningMessage(`No job found for ${shorten(reference)}: ${fetched ? fetchSummary(fetched) : 'it is not in the database'}.`);
      return;
    }
    // The panel shows this read at once instead of reading the same trace again.
    opening.show(graph);
  });
}

function referenceOf(target: TraceTarget): string | undefined {
  if (typeof target === 'string') return target.trim();
  const requestId = target?.job?.requestId;
  return typeof requestId === 'string' ? requestId : undefined;
}

async function withLateProgress<T>(work: Promise<T>): Promise<T> {
  const early = await Promise.race([work.then(() => true, () => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), PROGRESS_AFTER_MS))]);
  if (early) return work;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Swarmscope: fetching the job and its chain from the relays…' }, () => work);
}

function fetchSummary(fetched: TraceFetchReport): string {
  const failed = fetched.relays.filter((relay) => relay.error);
  const asked = `${fetched.relays.length} relay${fetched.relays.length === 1 ? '' : 's'} asked`;
  const errors = failed.length > 0 ? `; ${failed.length} failed (${untrustedText(failed[0].error, 120)}${failed.length > 1 ? ', …' : ''})` : '';
  return untrustedText(`not in the database, and not on the relays (${asked}, ${fetched.received} events received${errors})`, MESSAGE_MAX_LENGTH);
}

function shorten(reference: string): string {
  return reference.length > 24 ? `${reference.slice(0, 14)}…${reference.slice(-6)}` : reference;
}
