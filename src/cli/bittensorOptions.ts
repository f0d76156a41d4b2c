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

export const NETUID: CliOption = { name: 'netuid', value: 'N', required: true, help: 'the subnet, 0–65535' };
export const BLOCK: CliOption = { name: 'block', value: 'B', help: 'read at this block instead of the head (needs an archive node for old blocks)' };
export const ENDPOINT: CliOption = { name: 'endpoint', value: 'URL', help: 'the subtensor node, ws:// or wss:// (default: the public finney endpoint)' };
export const ARCHIVE: CliOption = { name: 'archive', value: 'URL', help: 'the archive node for --block reads (default: --endpoint)' };
