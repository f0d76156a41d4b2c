import type { DvmSummary, NostrMetricsScope } from '../protocol/nostrProtocol';
import { METRICS_WINDOWS } from '../protocol/nostrProtocol';
import { formatTable, intFlag, report, withEngine, type CliArgs, type CliCommand, type CliOption } from './cliCommand';
import { traceCommand } from './traceCommand';

function nowFlag(args: CliArgs): number | undefined {
  return intFlag(args, 'now');
}

const NOW_OPTION: CliOption = { name: 'now', value: 'UNIX', help: 'end the time windows at this unix time (default: now)' };

export const nostrCommands: readonly CliCommand[] = [
  {
    name: 'metrics',
    summary: 'Print the DVM metrics: all-time and the 1h / 24h / 7d / 30d windows.',
    options: [NOW_OPTION],
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const metrics = await engine.call('nostr.metrics', { now: nowFlag(args) });
        return report(args, io, metrics, () => {
          const scopes: [string, NostrMetricsScope][] = [['all-time', metrics], ...METRICS_WINDOWS.map((window) => [window, metrics.windows[window]] as [string, NostrMetricsScope])];
          return formatTable(scopes.map(([scope, m]) => ({
            scope, requests: m.requests, results: m.results, feedback: m.feedback, kinds: m.requestKinds, dvms: m.dvms, users: m.users,
            encrypted: m.encryptedRequests, satsRequested: m.satsRequested, satsEarned: m.satsEarned, satsProven: m.satsProven,
            success: m.successRate === null ? '' : `${(m.successRate * 100).toFixed(0)}%`, medianSec: m.medianResponseSec,
            topDvm: m.mostPopularDvm ? m.mostPopularDvm.name ?? m.mostPopularDvm.npub.slice(0, 16) : '',
            topKind: m.mostPopularKind ? `${m.mostPopularKind.kind} ${m.mostPopularKind.name}` : '',
          })));
        });
      }),
  },
  {
    name: 'dvms',
    summary: 'List DVMs, busiest first: jobs, results, success rate, response time, sats, liveness.',
    options: [
      { name: 'limit', value: 'N', help: 'list at most N DVMs' },
      { name: 'offset', value: 'N', help: 'skip the first N DVMs' },
      NOW_OPTION,
    ],
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const dvms = await engine.call('nostr.dvms', { limit: intFlag(args, 'limit'), offset: intFlag(args, 'offset'), now: nowFlag(args) });
        return report(args, io, dvms, () => formatTable(dvms.map(dvmRow)));
      }),
  },
  {
    name: 'kinds',
    summary: 'List job kinds with their names, requests, results, DVMs and users.',
    options: [],
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const kinds = await engine.call('nostr.kinds', {});
        return report(args, io, kinds, () => formatTable(kinds.map((kind) => ({
          kind: kind.kind, name: kind.name, requests: kind.requests, results: kind.results, dvms: kind.dvms, users: kind.users,
        }))));
      }),
  },
  traceCommand,
];

function dvmRow(dvm: DvmSummary): Record<string, unknown> {
  return {
    dvm: dvm.name ?? dvm.npub.slice(0, 20), status: dvm.status, kinds: dvm.kinds, jobs: dvm.jobs, results: dvm.results, errors: dvm.errors,
    success: dvm.successRate === null ? '' : `${(dvm.successRate * 100).toFixed(0)}%`, medianSec: dvm.medianResponseSec,
    satsEarned: dvm.satsEarned, satsProven: dvm.satsProven,
  };
}
