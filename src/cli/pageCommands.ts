import { parsePubkey } from '../core/nostr/pubkeyInput';
import { SERIES_BUCKETS, SERIES_WINDOWS, type SeriesBucket, type SeriesWindow } from '../protocol/nostrPagesProtocol';
import { flag, intFlag, report, reportFailure, UsageError, withEngine, type CliArgs, type CliCommand, type CliOption } from './cliCommand';
import { dvmPageText, kindPageText, recentText, seriesText, userPageText } from './pageText';

/**
 * What the DVM, kind and user pages and the dashboard's series and recent list show (issue 12), on the command line.
 * The JSON field names are fixed by the issue: `dvm` {pubkey, name, liveness, kinds, recent}, `kind` {kind, name,
 * requests, results, users, dvms}, `user` {pubkey, jobs, dvms}, `series` {bucketSec, points}, `recent`
 * [{kind, name, jobs}]; more fields ride along.
 */

const NOW_OPTION: CliOption = { name: 'now', value: 'UNIX', help: 'end the time windows at this unix time (default: now)' };
const windowOption = (fallback: string): CliOption => ({ name: 'window', value: SERIES_WINDOWS.join('|'), help: `how far back the series reaches (default ${fallback})` });
const bucketOption = (fallback: string): CliOption => ({ name: 'bucket', value: SERIES_BUCKETS.join('|'), help: `bucket size of the series (default ${fallback})` });

function pubkeyArgument(args: CliArgs, what: string): string {
  const pubkey = parsePubkey(args.positionals[0] ?? '');
  if (!pubkey) throw new UsageError(`${what} must be a pubkey: 64 hex characters, npub1… or nprofile1…`);
  return pubkey;
}

function choice<T extends string>(args: CliArgs, name: string, allowed: readonly T[]): T | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return value as T;
}

function seriesChoices(args: CliArgs): { window?: SeriesWindow; bucket?: SeriesBucket } {
  const window = choice(args, 'window', SERIES_WINDOWS);
  const bucket = choice(args, 'bucket', SERIES_BUCKETS);
  return { ...(window ? { window } : {}), ...(bucket ? { bucket } : {}) };
}

function kindArgument(value: string | undefined, what: string): number {
  const kind = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || kind > 65_535) throw new UsageError(`${what} must be a kind number (5000–5999, or a result kind 6000–6999)`);
  return kind;
}

export const pageCommands: readonly CliCommand[] = [
  {
    name: 'dvm',
    summary: "A DVM's page: NIP-89 card, liveness, per-kind jobs, success, response times and sats, problems, newest events.",
    arguments: [{ name: 'PUBKEY', help: 'the DVM: hex, npub1… or nprofile1…' }],
    options: [NOW_OPTION, windowOption('30d'), bucketOption('1d')],
    run: (args, io) => {
      const pubkey = pubkeyArgument(args, 'PUBKEY');
      const series = seriesChoices(args);
      return withEngine(args, io, { collect: false }, async (engine) => {
        const page = await engine.call('nostr.dvmPage', { pubkey, now: intFlag(args, 'now'), ...series });
        if (!page) return reportFailure(io, `no DVM ${pubkey} in the database (it never answered a job or announced a job kind)`);
        return report(args, io, { ...page, name: page.name ?? null }, () => dvmPageText(page));
      });
    },
  },
  {
    name: 'kind',
    summary: "A job kind's page: name, all-time counts, the DVMs serving it, competition, activity over time, newest jobs.",
    arguments: [{ name: 'KIND', help: 'a request kind (5xxx); a result kind (6xxx) shows its request kind' }],
    options: [NOW_OPTION, windowOption('30d'), bucketOption('1d')],
    run: (args, io) => {
      const kind = kindArgument(args.positionals[0], 'KIND');
      const series = seriesChoices(args);
      return withEngine(args, io, { collect: false }, async (engine) => {
        const page = await engine.call('nostr.kindPage', { kind, now: intFlag(args, 'now'), ...series });
        if (!page) return reportFailure(io, `kind ${kind} was never requested, answered or announced`);
        return report(args, io, page, () => kindPageText(page));
      });
    },
  },
  {
    name: 'user',
    summary: "A customer's page: their jobs (newest first) with status, and the DVMs they used.",
    arguments: [{ name: 'PUBKEY', help: 'the author of job requests: hex, npub1… or nprofile1…' }],
    options: [{ name: 'limit', value: 'N', help: 'list at most N jobs (default 100, at most 500)' }],
    run: (args, io) => {
      const pubkey = pubkeyArgument(args, 'PUBKEY');
      return withEngine(args, io, { collect: false }, async (engine) => {
        const page = await engine.call('nostr.userPage', { pubkey, limit: intFlag(args, 'limit') });
        if (!page) return reportFailure(io, `no job request by ${pubkey} in the database`);
        return report(args, io, page, () => userPageText(page));
      });
    },
  },
  {
    name: 'series',
    summary: 'Activity over time: requests, results, users, DVMs, sats, error rate, median response, per bucket.',
    options: [
      windowOption('7d'), bucketOption('1h'), NOW_OPTION,
      { name: 'kind', value: 'KIND', help: 'only this job kind' },
      { name: 'dvm', value: 'PUBKEY', help: 'only this DVM' },
    ],
    run: (args, io) => {
      const { window = '7d', bucket = '1h' } = seriesChoices(args);
      const kindText = flag(args, 'kind');
      const dvmText = flag(args, 'dvm');
      const dvm = dvmText === undefined ? undefined : parsePubkey(dvmText);
      if (dvmText !== undefined && !dvm) throw new UsageError('--dvm must be a pubkey: 64 hex characters, npub1… or nprofile1…');
      const kind = kindText === undefined ? undefined : kindArgument(kindText, '--kind');
      return withEngine(args, io, { collect: false }, async (engine) => {
        const series = await engine.call('nostr.activity', { window, bucket, now: intFlag(args, 'now'), ...(kind !== undefined ? { kind } : {}), ...(dvm ? { dvm } : {}) });
        return report(args, io, series, () => seriesText(series));
      });
    },
  },
  {
    name: 'recent',
    summary: 'The newest jobs of every kind (at most 3 each), the kind with the newest job first.',
    options: [{ name: 'per-kind', value: 'N', help: 'jobs per kind, 1 to 3 (default 3)' }],
    run: (args, io) => {
      const perKind = intFlag(args, 'per-kind');
      if (perKind !== undefined && (perKind < 1 || perKind > 3)) throw new UsageError('--per-kind must be 1, 2 or 3');
      return withEngine(args, io, { collect: false }, async (engine) => {
        const kinds = await engine.call('nostr.recentByKind', { perKind });
        return report(args, io, kinds, () => recentText(kinds));
      });
    },
  },
];
