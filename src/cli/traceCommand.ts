import { isWebSocketUrl } from '../core/config/settings';
import { parseEventReference } from '../core/nostr/eventId';
import { isoTime } from '../core/util/isoTime';
import { singleLine } from '../core/util/untrustedText';
import type { JobTrace, TraceFetchReport, TraceGraph } from '../protocol/nostrProtocol';
import { flagList, formatTable, report, reportFailure, UsageError, withEngine, type CliCommand } from './cliCommand';

/**
 * `swarmscope trace ID`: a job's trace. `--json` prints the job's trace with `nodes` and `edges`, the graph of the
 * job and its whole chain exactly as the trace panel draws it (DESIGN.md "Trace graph"), so it can be checked
 * without a browser. An event not in the database is fetched, with its job and chain, from an nevent's relay hints
 * and any `--relay`; without either, nothing goes to the network.
 */
export const traceCommand: CliCommand = {
  name: 'trace',
  summary: "Show a job's trace: its request, feedback, results, payments, chain and each DVM's status.",
  arguments: [{ name: 'ID', help: 'the job request or any event of the job: hex, note1… or nevent1…' }],
  options: [
    { name: 'relay', value: 'URL', repeatable: true, help: 'a ws:// or wss:// relay to fetch the event from (with its job and chain) when it is not in the database' },
  ],
  run: (args, io) => {
    const id = args.positionals[0];
    const relays = flagList(args, 'relay');
    for (const relay of relays) if (!isWebSocketUrl(relay)) throw new UsageError(`--relay ${JSON.stringify(relay)} is not a ws:// or wss:// URL`);
    const reference = parseEventReference(id);
    if (!reference) throw new UsageError(`${JSON.stringify(id)} is not an event id (hex, note1… or nevent1…)`);
    const fetch = relays.length > 0 || reference.relays.length > 0;
    return withEngine(args, io, { collect: false }, async (engine) => {
      const { graph, fetched } = await engine.call('nostr.traceGraph', { id, ...(fetch ? { fetch, relays } : {}) });
      const trace = graph ? await engine.call('nostr.trace', { id }) : null;
      if (!graph || !trace) return reportFailure(io, [`no job found for ${id}`, ...(fetched ? [fetchedText(fetched)] : [])].join('\n'));
      return report(args, io, { ...trace, nodes: graph.nodes, edges: graph.edges }, () => traceText(trace, graph, fetched));
    });
  },
};

/** Text for people: every string that came from an event or a profile is folded to one line without controls. */
function traceText(trace: JobTrace, graph: TraceGraph, fetched: TraceFetchReport | undefined): string {
  const text = (value: string | undefined) => (value === undefined ? '' : singleLine(value));
  const job = graph.dvms.filter((dvm) => dvm.requestId === trace.requestId);
  return [
    ...(fetched ? [fetchedText(fetched), ''] : []),
    `job ${trace.requestId}  kind ${trace.kind ?? '?'} (${text(trace.kindName)})${trace.cancelled ? '  CANCELLED' : ''}${trace.encrypted ? `  encrypted (${trace.encryptionScheme})` : ''}`,
    `customer: ${trace.customer ?? '(request not seen)'}`,
    '',
    formatTable(trace.events.map((event) => ({
      time: isoTime(event.createdAt), role: event.role, kind: event.kind, status: text(event.status),
      sats: event.amountSats ?? '', flag: event.amountMismatch ? 'amount≠bolt11' : '', author: event.pubkey.slice(0, 12), id: event.id.slice(0, 12),
    }))),
    '',
    formatTable(job.map((dvm) => ({
      dvm: text(dvm.name) || dvm.npub.slice(0, 16), status: dvm.status, responseSec: dvm.responseSec, feedbackSec: dvm.feedbackSec,
      satsRequested: dvm.satsRequested, satsProven: dvm.satsProven,
      flags: [dvm.amountMismatch ? 'amount≠bolt11' : '', dvm.paymentWithoutResult ? 'asked payment, no result' : '', dvm.resultWithoutPayment ? 'result, no payment asked' : '']
        .filter(Boolean).join('; '),
      error: text(dvm.errorMessage).slice(0, 80),
    }))),
    ...(graph.jobs.length > 1 ? ['', `chain (${graph.jobs.length} jobs, parents first${graph.truncated ? ', cut at its size limit' : ''}):`, formatTable(graph.jobs.map((entry) => ({
      job: entry.requestId.slice(0, 12), kind: entry.kind ?? '?', name: text(entry.kindName), seen: entry.missing ? 'no' : 'yes',
      subJobOf: entry.parents.map((parent) => parent.slice(0, 12)), here: entry.requestId === trace.requestId ? '◀' : '',
    })))] : []),
  ].join('\n');
}

function fetchedText(fetched: TraceFetchReport): string {
  const relays = fetched.relays.map((relay) => `${relay.url} (${relay.error ? singleLine(relay.error) : `${relay.events} events`})`);
  return `fetched from ${relays.length === 0 ? 'no relay' : relays.join(', ')}: ${fetched.accepted} new events stored`;
}
