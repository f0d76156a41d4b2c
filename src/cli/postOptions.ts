import { isWebSocketUrl } from '../core/config/settings';
import { JOB_INPUT_TYPES, JobRequestError, jobRequestTags, type JobInputType, type JobRequestSpec } from '../core/jobs/jobRequest';
import { readKeyFile } from '../core/jobs/keyFile';
import { parsePubkey } from '../core/nostr/pubkeyInput';
import { SecretKey } from '../core/jobs/secretKey';
import { flag, flagGroups, flagList, hasFlag, intFlag, UsageError, type CliArgs, type CliOption } from './cliOptions';

/** The options `post` and `cancel` share: where to publish, and whose key signs. */
export const RELAY_OPTION: CliOption = { name: 'relay', value: 'URL', required: true, repeatable: true, help: 'a ws:// or wss:// relay to publish to (and to hear answers on)' };
export const KEY_FILE_OPTION: CliOption = {
  name: 'key-file', value: 'PATH',
  help: 'your secret key (nsec or 64 hex) in a file only you can read (chmod 600); without it, post uses a new key for this job only and keeps it nowhere',
};

export const DEFAULT_WAIT_SECONDS = 10;

export function relayFlags(args: CliArgs): string[] {
  const relays = [...new Set(flagList(args, 'relay'))];
  for (const relay of relays) if (!isWebSocketUrl(relay)) throw new UsageError(`--relay ${JSON.stringify(relay)} is not a ws:// or wss:// URL`);
  return relays;
}

/** The key that signs: from --key-file (refused unless only its owner can read it), or `generate`d for this one job. */
export function keyFlag(args: CliArgs, generate: boolean): { key: SecretKey; kept: boolean } {
  const file = flag(args, 'key-file');
  if (file !== undefined) {
    try {
      return { key: readKeyFile(file), kept: true };
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (!generate) throw new UsageError('--key-file is required: only the key that posted a job can cancel it');
  return { key: SecretKey.generate(), kept: false };
}

/** The job as the options describe it, checked (every mistake is a usage error, before any key is read). */
export function jobSpecFlags(args: CliArgs, relays: readonly string[]): JobRequestSpec {
  const kind = intFlag(args, 'kind') ?? 5050;
  const texts = flagList(args, 'input');
  const types = flagList(args, 'input-type');
  for (const type of types) if (!(JOB_INPUT_TYPES as readonly string[]).includes(type)) throw new UsageError(`--input-type ${JSON.stringify(type)} is not one of ${JOB_INPUT_TYPES.join(', ')}`);
  if (types.length > 1 && types.length !== texts.length) throw new UsageError(`--input-type is given ${types.length} times for ${texts.length} inputs: give it once for all, or once per input`);
  const inputs = texts.map((data, i) => ({ data, type: (types.length > 1 ? types[i] : types[0] ?? 'text') as JobInputType }));
  const dvms = flagList(args, 'dvm').map((text) => {
    const pubkey = parsePubkey(text);
    if (!pubkey) throw new UsageError(`--dvm ${JSON.stringify(text)} is not a public key (64 hex, npub1… or nprofile1…)`);
    return pubkey;
  });
  const encrypt = hasFlag(args, 'encrypt');
  if (encrypt && dvms.length !== 1) throw new UsageError(`--encrypt needs exactly one --dvm to encrypt to (given ${dvms.length})`);
  const bid = intFlag(args, 'bid');
  const output = flag(args, 'output');
  const spec: JobRequestSpec = {
    kind,
    inputs,
    params: flagGroups(args, 'param', 2).map(([name, value]) => [name, value] as const),
    ...(output !== undefined ? { output } : {}),
    ...(bid !== undefined ? { bidMsats: bid } : {}),
    dvms,
    relays,
    // The scheme is chosen once the database says what the DVM announces; checked here with NIP-04's shape.
    ...(encrypt ? { encryption: 'nip04' as const } : {}),
  };
  try {
    jobRequestTags(spec);
  } catch (error) {
    if (error instanceof JobRequestError) throw new UsageError(error.message);
    throw error;
  }
  return spec;
}

export function waitFlag(args: CliArgs): number {
  const text = flag(args, 'wait');
  if (text === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3_600) throw new UsageError(`--wait must be a number of seconds from 0 to 3600, not ${JSON.stringify(text)}`);
  return seconds;
}
