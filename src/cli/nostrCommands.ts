import * as fs from 'node:fs';
import type { DvmSummary, IngestResult, NostrMetricsScope } from '../protocol/nostrProtocol';
import { METRICS_WINDOWS } from '../protocol/nostrProtocol';
import { formatTable, intFlag, printResult, UsageError, withEngine, type CliArgs, type CliCommand } from './cliCommand';

/** Events per `nostr.ingest` call: one transaction each, so memory stays flat on large files. */
const INGEST_CHUNK = 5_000;

/**
 * A JSON array of events, or JSON lines (one event per line). A line that is not JSON is passed on as text, so it
 * is counted as `malformed` like any other bad event instead of aborting the import.
 */
export function readEventsFile(file: string): unknown[] {
  const text = fs.readFileSync(file, 'utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    const parsed = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(parsed)) throw new UsageError(`${file} is not a JSON array of events`);
    return parsed;
  }
  return text.split('\n').filter((line) => line.trim().length > 0).map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return line;
    }
  });
}

function nowFlag(args: CliArgs): number | undefined {
  return intFlag(args, 'now');
}

export const nostrCommands: readonly CliCommand[] = [
  {
    name: 'ingest',
    summary: 'Verify and store Nostr events from a file (JSON array or JSON lines), as if a relay had sent them.',
    usage: 'swarmscope ingest FILE [--relay URL] [--db PATH] [--json]',
    run: async (args, io) => {
      const file = args.positionals[0];
      if (!file) throw new UsageError('ingest needs a FILE');
      const events = readEventsFile(file);
      const relay = args.flags.get('relay')?.at(-1);
      return withEngine(args, io, { collect: false }, async (engine) => {
        const total: { -readonly [K in keyof IngestResult]: IngestResult[K] } = { accepted: 0, duplicates: 0, rejected: {}, rejectDetails: {} };
        for (let start = 0; start < events.length; start += INGEST_CHUNK) {
          const result = await engine.call('nostr.ingest', { events: events.slice(start, start + INGEST_CHUNK), ...(relay ? { relay } : {}) });
          total.accepted += result.accepted;
          total.duplicates += result.duplicates;
          for (const [reason, count] of Object.entries(result.rejected)) total.rejected[reason] = (total.rejected[reason] ?? 0) + count;
        }
        printResult(args, io, total, () => [
          `accepted: ${total.accepted}`,
          `duplicates: ${total.duplicates}`,
          `rejected: ${Object.entries(total.rejected).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`,
        ].join('\n'));
        return 0;
      });
    },
  },
  {
    name: 'metrics',
    summary: 'Print the DVM metrics: all-time and the 1h / 24h / 7d / 30d windows.',
    usage: 'swarmscope metrics [--now UNIX] [--db PATH] [--json]',
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const metrics = await engine.call('nostr.metrics', { now: nowFlag(args) });
        printResult(args, io, metrics, () => {
          const scopes: [string, NostrMetricsScope][] = [['all-time', metrics], ...METRICS_WINDOWS.map((window) => [window, metrics.windows[window]] as [string, NostrMetricsScope])];
          return formatTable(scopes.map(([scope, m]) => ({
            scope, requests: m.requests, results: m.results, feedback: m.feedback, kinds: m.requestKinds, dvms: m.dvms, users: m.users,
            encrypted: m.encryptedRequests, satsRequested: m.satsRequested, satsEarned: m.satsEarned, satsProven: m.satsProven,
            success: m.successRate === null ? '' : `${(m.successRate * 100).toFixed(0)}%`, medianSec: m.medianResponseSec,
            topDvm: m.mostPopularDvm ? m.mostPopularDvm.name ?? m.mostPopularDvm.npub.slice(0, 16) : '',
            topKind: m.mostPopularKind ? `${m.mostPopularKind.kind} ${m.mostPopularKind.name}` : '',
          })));
        });
        return 0;
      }),
  },
  {
    name: 'dvms',
    summary: 'List DVMs, busiest first: jobs, results, success rate, response time, sats, liveness.',
    usage: 'swarmscope dvms [--limit N] [--offset N] [--now UNIX] [--db PATH] [--json]',
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const dvms = await engine.call('nostr.dvms', { limit: intFlag(args, 'limit'), offset: intFlag(args, 'offset'), now: nowFlag(args) });
        printResult(args, io, dvms, () => formatTable(dvms.map(dvmRow)));
        return 0;
      }),
  },
  {
    name: 'kinds',
    summary: 'List job kinds with their names, requests, results, DVMs and users.',
    usage: 'swarmscope kinds [--db PATH] [--json]',
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const kinds = await engine.call('nostr.kinds', {});
        printResult(args, io, kinds, () => formatTable(kinds.map((kind) => ({
          kind: kind.kind, name: kind.name, requests: kind.requests, results: kind.results, dvms: kind.dvms, users: kind.users,
        }))));
        return 0;
      }),
  },
  {
    name: 'trace',
    summary: "Show a job's trace: its request, feedback, results, payments, chain and each DVM's status.",
    usage: 'swarmscope trace ID (hex, note1… or nevent1…) [--db PATH] [--json]',
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const id = args.positionals[0];
        if (!id) throw new UsageError('trace needs an event ID (hex, note1… or nevent1…)');
        const trace = await engine.call('nostr.trace', { id });
        if (!trace) {
          io.err(`no job found for ${id}`);
          return 1;
        }
        printResult(args, io, trace, () => [
          `job ${trace.requestId}  kind ${trace.kind ?? '?'} (${trace.kindName})${trace.cancelled ? '  CANCELLED' : ''}${trace.encrypted ? `  encrypted (${trace.encryptionScheme})` : ''}`,
          `customer: ${trace.customer ?? '(request not seen)'}`,
          '',
          formatTable(trace.events.map((event) => ({
            time: new Date(event.createdAt * 1000).toISOString(), role: event.role, kind: event.kind, status: event.status ?? '',
            sats: event.amountSats ?? '', flag: event.amountMismatch ? 'amount≠bolt11' : '', author: event.pubkey.slice(0, 12), id: event.id.slice(0, 12),
          }))),
          '',
          formatTable(trace.dvms.map((dvm) => ({
            dvm: dvm.name ?? dvm.npub.slice(0, 16), status: dvm.status, responseSec: dvm.responseSec, feedbackSec: dvm.feedbackSec, satsRequested: dvm.satsRequested, satsProven: dvm.satsProven,
          }))),
          ...(trace.parents.length > 0 ? ['', `parents: ${trace.parents.map((link) => `${link.requestId.slice(0, 12)} (${link.kindName})`).join(', ')}`] : []),
          ...(trace.children.length > 0 ? ['', `children: ${trace.children.map((link) => `${link.requestId.slice(0, 12)} (${link.kindName})`).join(', ')}`] : []),
        ].join('\n'));
        return 0;
      }),
  },
];

function dvmRow(dvm: DvmSummary): Record<string, unknown> {
  return {
    dvm: dvm.name ?? dvm.npub.slice(0, 20), status: dvm.status, kinds: dvm.kinds, jobs: dvm.jobs, results: dvm.results, errors: dvm.errors,
    success: dvm.successRate === null ? '' : `${(dvm.successRate * 100).toFixed(0)}%`, medianSec: dvm.medianResponseSec,
    satsEarned: dvm.satsEarned, satsProven: dvm.satsProven,
  };
}
