import type { HistoryRange } from '../core/bittensor/subnetHistoryModel';
import { isWebSocketUrl, type RawSettings } from '../core/config/settings';
import { flag, intFlag, UsageError, type CliArgs, type CliOption } from './cliCommand';

/** The options and their checks shared by the Bittensor commands. */

/** An endpoint flag the user gave is used as it is or refused: the reads never go to finney in its place. */
export function endpointFlag(args: CliArgs, name: 'endpoint' | 'archive'): string | undefined {
  const value = flag(args, name);
  if (value !== undefined && !isWebSocketUrl(value)) throw new UsageError(`--${name} ${JSON.stringify(value)} is not a ws:// or wss:// URL`);
  return value;
}

/** `--endpoint URL` becomes the engine's subtensorEndpoint; `--archive URL` (default: the endpoint) serves --block reads. */
export function chainSettings(args: CliArgs): RawSettings {
  const endpoint = endpointFlag(args, 'endpoint');
  const archive = endpointFlag(args, 'archive') ?? endpoint;
  return { ...(endpoint ? { subtensorEndpoint: endpoint } : {}), ...(archive ? { archiveEndpoint: archive } : {}) };
}

/** `--block B` is 0 or more; a block beyond the head is refused by the engine, which asks the node for its head. */
export function blockFlag(args: CliArgs): number | undefined {
  const block = intFlag(args, 'block');
  if (block !== undefined && block < 0) throw new UsageError(`--block must be a block number, 0 or more (got ${block})`);
  return block;
}

export function requiredNetuid(args: CliArgs): number {
  const netuid = intFlag(args, 'netuid');
  if (netuid === undefined || netuid < 0 || netuid > 65_535) throw new UsageError('--netuid N is required (0–65535)');
  return netuid;
}

/** A value that must be one of a few names (`--by coldkey|ip`); `fallback` when the option is absent. */
export function choiceFlag<T extends string>(args: CliArgs, name: string, choices: readonly T[], fallback?: T): T {
  const value = flag(args, name) ?? fallback;
  if (value === undefined || !(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}${value === undefined ? '' : `, not ${JSON.stringify(value)}`}`);
  }
  return value as T;
}

/** A positive count (`--top N`, `--limit N`), at most `max`. */
export function countFlag(args: CliArgs, name: string, max: number): number | undefined {
  const value = intFlag(args, name);
  if (value !== undefined && (value < 1 || value > max)) throw new UsageError(`--${name} must be 1–${max} (got ${value})`);
  return value;
}

/** What `--from` / `--to` take: a block number, an ISO time, or a time ago. */
export const RANGE_FORMS = 'a block number (6852690), an ISO time (2026-11-20 or 2026-11-20T12:00Z) or a time ago (30m, 12h, 7d, 2w)';
const SECONDS_AGO: Record<string, number> = { m: 60, h: 3_600, d: 86_400, w: 604_800 };
// A date, optionally with a time and a zone: Date.parse alone also takes "1" or "May 3" in ways that differ by engine.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** One end of a range: a block, or unix seconds. */
export type RangeEnd = { readonly block: number } | { readonly time: number };

/** `value` as a block (digits), an ISO time (UTC unless it names a zone) or a time before `now` (unix seconds). */
export function parseRangeEnd(name: string, value: string, now: number): RangeEnd {
  if (/^\d+$/.test(value)) return { block: Number(value) };
  const ago = /^(\d+)([mhdw])$/i.exec(value);
  if (ago) return { time: now - Number(ago[1]) * SECONDS_AGO[ago[2].toLowerCase()] };
  if (ISO_TIME.test(value)) {
    // A date or time without a zone is read as UTC, as the stored block times are.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes(':') ? value : `${value}Z`;
    const ms = Date.parse(value.includes(':') ? zoned.replace(' ', 'T') : `${value}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over into March; a day the month lacks is refused instead.
    const [year, month, day] = value.slice(0, 10).split('-').map(Number);
    const calendar = new Date(Date.UTC(year, month - 1, day));
    if (Number.isFinite(ms) && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day) return { time: Math.floor(ms / 1000) };
  }
  throw new UsageError(`--${name} must be ${RANGE_FORMS}, not ${JSON.stringify(value)}`);
}

/**
 * `--from` and `--to` as the engine's range (blocks and/or times of stored snapshots); `now` (unix seconds) anchors
 * the relative forms. A range whose ends are both blocks, or both times, must not run backwards.
 */
export function rangeFlags(args: CliArgs, now = Math.floor(Date.now() / 1000)): HistoryRange {
  const from = flag(args, 'from');
  const to = flag(args, 'to');
  const start = from === undefined ? undefined : parseRangeEnd('from', from, now);
  const end = to === undefined ? undefined : parseRangeEnd('to', to, now);
  if (start && end) {
    const backwards = 'block' in start && 'block' in end ? start.block > end.block : 'time' in start && 'time' in end && start.time > end.time;
    if (backwards) throw new UsageError(`--from ${JSON.stringify(from)} is after --to ${JSON.stringify(to)}`);
  }
  return {
    ...(start ? ('block' in start ? { fromBlock: start.block } : { fromTime: start.time }) : {}),
    ...(end ? ('block' in end ? { toBlock: end.block } : { toTime: end.time }) : {}),
  };
}

export const FROM: CliOption = { name: 'from', value: 'WHEN', help: `from here on: ${RANGE_FORMS} (default: the oldest stored)` };
export const TO: CliOption = { name: 'to', value: 'WHEN', help: 'up to here, in the same forms (default: the newest stored)' };

export const NETUID: CliOption = { name: 'netuid', value: 'N', required: true, help: 'the subnet, 0–65535' };
export const BLOCK: CliOption = { name: 'block', value: 'B', help: 'read at this block instead of the head (needs an archive node for old blocks)' };
export const ENDPOINT: CliOption = { name: 'endpoint', value: 'URL', help: 'the subtensor node, ws:// or wss:// (default: the public finney endpoint)' };
export const ARCHIVE: CliOption = { name: 'archive', value: 'URL', help: 'the archive node for --block reads (default: --endpoint)' };
