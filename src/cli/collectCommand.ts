import { DEFAULT_SETTINGS, isWebSocketUrl, LIST_ITEM_BOUNDS, NUMBER_BOUNDS } from '../core/config/settings';
import type { Engine } from '../engine/engine';
import { refuseIfReadOnly } from '../engine/readOnlyStore';
import type { CollectorStatus } from '../protocol/engineProtocol';
import type { HistoryBackfillStatus } from '../protocol/historyBackfillProtocol';
import type { NostrMetricsScope } from '../protocol/nostrProtocol';
import { flag, flagList, intFlag, report, UsageError, withEngine, type CliCommand } from './cliCommand';

/**
 * `swarmscope collect`: the engine's relay collector, headless, for a while (or until Ctrl-C), and its chain
 * collector snapshotting the tracked subnets (`--subnet`); then a flush and a summary. Counts come from the engine
 * itself: what the relays sent (per relay), what the store gained, and what validation dropped, by reason.
 */

export interface CollectSummary {
  readonly durationSec: number;
  readonly interrupted: boolean;
  /** Job events the store gained during the run (after verification and de-duplication). */
  readonly accepted: { readonly requests: number; readonly results: number; readonly feedback: number; readonly total: number };
  /** Events dropped by validation or by the collector during the run, by reason. */
  readonly rejected: Readonly<Record<string, number>>;
  readonly relays: readonly CollectedRelay[];
  /** The engine's other collectors (the subtensor client), which `collect` runs too. */
  readonly otherCollectors: readonly CollectorStatus[];
  readonly dvms: number;
  readonly flushedBytes: number;
  /** The history backfill (`--history-days`) as the run left it; absent when it was not asked for. */
  readonly history?: HistoryBackfillStatus;
}

export interface CollectedRelay {
  readonly url: string;
  readonly state: CollectorStatus['state'];
  /** A connection to it opened during the run. */
  readonly reached: boolean;
  readonly received: number;
  readonly detail?: string;
  readonly lastError?: string;
  /** Why it is `degraded` (bad frames, only NOTICEs). */
  readonly reason?: string;
}

export const collectCommand: CliCommand = {
  name: 'collect',
  summary: 'Collect DVM traffic (NIP-90) from relays, and snapshots of the tracked subnets, for a while; store them and print what arrived.',
  options: [
    { name: 'relay', value: 'URL', repeatable: true, help: `a ws:// or wss:// relay (default: ${DEFAULT_SETTINGS.relays.join(', ')})` },
    { name: 'duration', value: 'S', help: 'seconds to collect (default: until Ctrl-C)' },
    { name: 'endpoint', value: 'URL', help: `the subtensor endpoint the engine's chain collector uses meanwhile (default: ${DEFAULT_SETTINGS.subtensorEndpoint})` },
    { name: 'subnet', value: 'N', repeatable: true, help: `a subnet (netuid) whose metagraph the chain collector snapshots meanwhile (default: ${DEFAULT_SETTINGS.trackedSubnets.join(', ')})` },
    { name: 'history-days', value: 'D', help: 'also backfill the last D days from the relays into the rollups, resuming an earlier run (default: 0, none)' },
  ],
  run: async (args, io) => {
    const relays = flagList(args, 'relay');
    for (const relay of relays) if (!isWebSocketUrl(relay)) throw new UsageError(`--relay ${JSON.stringify(relay)} is not a ws:// or wss:// URL`);
    const duration = intFlag(args, 'duration');
    if (duration !== undefined && duration <= 0) throw new UsageError('--duration must be a positive number of seconds');
    const endpoint = flag(args, 'endpoint');
    if (endpoint !== undefined && !isWebSocketUrl(endpoint)) throw new UsageError(`--endpoint ${JSON.stringify(endpoint)} is not a ws:// or wss:// URL`);
    const historyDays = historyDaysFlag(flag(args, 'history-days'));
    const subnets = subnetFlags(flagList(args, 'subnet'));
    const watched = relays.length > 0 ? relays : [...DEFAULT_SETTINGS.relays];
    const settings = {
      ...(relays.length > 0 ? { relays } : {}), ...(endpoint ? { subtensorEndpoint: endpoint } : {}), ...(subnets.length > 0 ? { trackedSubnets: subnets } : {}),
      backfillDays: historyDays,
    };
    const tracked = subnets.length > 0 ? subnets : DEFAULT_SETTINGS.trackedSubnets;

    return withEngine(args, io, { collect: true, settings }, async (engine) => {
      // The engine started no collector on a store it may only read: refused, naming what the role lacks, so that a
      // script or a service manager sees a failure rather than a collector that stores nothing.
      const location = engine.status().store?.location;
      refuseIfReadOnly({ readOnlyReason: engine.storeReadOnlyReason }, location === undefined ? 'collecting' : `collecting into ${location}`);
      const startedAt = Date.now();
      const before = await jobCounts(engine);
      const droppedBefore = engine.status().dropped;
      io.err(`collecting from ${watched.join(', ')} and snapshots of subnet${tracked.length === 1 ? '' : 's'} ${tracked.join(', ')}${duration ? ` for ${duration} s` : ' until Ctrl-C'}…`);
      const interrupted = await waitForEnd(duration);
      const flushed = await engine.call('engine.flush', {});
      const after = await jobCounts(engine);
      const status = engine.status();
      const summary: CollectSummary = {
        durationSec: Math.round((Date.now() - startedAt) / 100) / 10,
        interrupted,
        accepted: {
          requests: after.requests - before.requests,
          results: after.results - before.results,
          feedback: after.feedback - before.feedback,
          total: after.requests + after.results + after.feedback - before.requests - before.results - before.feedback,
        },
        rejected: difference(status.dropped, droppedBefore),
        relays: status.collectors.filter((collector) => watched.includes(collector.name)).map((collector) => ({
          url: collector.name,
          state: collector.state,
          reached: collector.lastConnectedAt !== undefined,
          received: receivedOf(collector),
          detail: collector.detail,
          lastError: collector.lastError,
          reason: collector.reason,
        })),
        otherCollectors: status.collectors.filter((collector) => !watched.includes(collector.name)),
        dvms: after.dvms,
        flushedBytes: flushed.bytes,
        ...(historyDays > 0 ? { history: await engine.call('nostr.historyBackfill', {}) } : {}),
      };
      const printed = report(args, io, summary, () => formatSummary(summary));
      // Nothing collected because nothing answered is a failure a script must see, not an empty success.
      if (summary.relays.some((relay) => relay.reached)) return printed;
      return { code: 1, print: () => { printed.print(); io.err(noRelayReached(summary)); } };
    });
  },
};

async function jobCounts(engine: Engine): Promise<Pick<NostrMetricsScope, 'requests' | 'results' | 'feedback' | 'dvms'>> {
  const metrics = await engine.call('nostr.metrics', {});
  return { requests: metrics.requests, results: metrics.results, feedback: metrics.feedback, dvms: metrics.dvms };
}

/** Resolves after `seconds`, or at Ctrl-C (true), whichever comes first. */
function waitForEnd(seconds: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = seconds === undefined ? undefined : setTimeout(() => finish(false), seconds * 1000);
    const onSignal = () => finish(true);
    function finish(interrupted: boolean) {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(interrupted);
    }
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

function difference(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after)) {
    const delta = count - (before[reason] ?? 0);
    if (delta > 0) result[reason] = delta;
  }
  return result;
}

/** The relay collector's status line starts with "<n> events" (src/core/collectors/relayConnection.ts). */
function receivedOf(collector: CollectorStatus): number {
  const match = /^(\d+) events/.exec(collector.detail ?? '');
  return match ? Number(match[1]) : 0;
}

function formatSummary(summary: CollectSummary): string {
  const rejected = Object.entries(summary.rejected);
  return [
    `collected for ${summary.durationSec} s${summary.interrupted ? ' (interrupted)' : ''}`,
    `accepted: ${summary.accepted.total} job events (${summary.accepted.requests} requests, ${summary.accepted.results} results, ${summary.accepted.feedback} feedback); DVMs known: ${summary.dvms}`,
    `rejected: ${rejected.length === 0 ? 'none' : rejected.map(([reason, count]) => `${reason} ${count}`).join(', ')}`,
    '',
    ...summary.relays.map((relay) => `${relay.url}  ${relay.state}${relay.reason ? ` (${relay.reason})` : ''}  ${relay.detail ?? ''}${relay.lastError ? `  (last error: ${relay.lastError})` : ''}`),
    ...summary.otherCollectors.map((collector) => `also: ${collector.name}  ${collector.state}  ${collector.detail ?? ''}`),
    ...(summary.history ? [`history: ${summary.history.message}`] : []),
    `flushed: ${summary.flushedBytes} bytes`,
  ].join('\n');
}

/** `--history-days`: a CLI run backfills only when asked (a one-off collect should not page a month by surprise). */
function historyDaysFlag(value: string | undefined): number {
  if (value === undefined) return 0;
  const days = Number(value);
  const { minimum, maximum } = NUMBER_BOUNDS.backfillDays;
  if (value.trim() === '' || !Number.isFinite(days) || days < minimum || days > maximum) {
    throw new UsageError(`--history-days ${JSON.stringify(value)} must be a number of days from ${minimum} to ${maximum}`);
  }
  return days;
}

/**
 * `--subnet N`, repeatable: the netuids the chain collector snapshots (a headless collector for many subnets has no
 * settings file to name them in). Checked as the trackedSubnets setting is, but refused rather than ignored.
 */
function subnetFlags(values: readonly string[]): number[] {
  const { minimum, maximum } = LIST_ITEM_BOUNDS.trackedSubnets;
  const netuids = values.map((value) => {
    const netuid = Number(value);
    // Number() reads '', ' 1' and '0x1' too; a netuid is written in plain digits.
    if (!/^\d+$/.test(value) || netuid < minimum || netuid > maximum) {
      throw new UsageError(`--subnet ${JSON.stringify(value)} is not a netuid (an integer from ${minimum} to ${maximum})`);
    }
    return netuid;
  });
  return [...new Set(netuids)];
}

function noRelayReached(summary: CollectSummary): string {
  const why = summary.relays.map((relay) => `${relay.url}: ${relay.lastError ?? relay.state}`).join('; ');
  return `swarmscope collect: no relay was reached in ${summary.durationSec} s (${why || 'no relay given'})`;
}
