import type { NostrEvent } from '../nostr/eventTypes';
import { isWebSocketUrl } from '../config/settings';
import { isHex64, isRequestKind, KIND_DELETION } from '../nostr/nostrEvent';
import type { EncryptionSchemeName, SecretKey } from './secretKey';

/** NIP-90 input types: the data itself, a URL to fetch, an event id, or the output of an earlier job (chaining). */
export const JOB_INPUT_TYPES = ['text', 'url', 'event', 'job'] as const;
export type JobInputType = (typeof JOB_INPUT_TYPES)[number];

export interface JobInput {
  readonly data: string;
  readonly type: JobInputType;
  /** Where an `event` / `job` input can be found. */
  readonly relay?: string;
  /** What the input is for, when a job takes several (NIP-90 `<marker>`). */
  readonly marker?: string;
}

export interface JobRequestSpec {
  /** 5000–5999. */
  readonly kind: number;
  readonly inputs: readonly JobInput[];
  /** Expected output MIME type (`output` tag). */
  readonly output?: string;
  readonly params?: readonly (readonly [name: string, value: string])[];
  /** Most the customer will pay, in millisats (`bid` tag). */
  readonly bidMsats?: number;
  /** DVMs the job is for (`p` tags, hex pubkeys). An encrypted job needs exactly one. */
  readonly dvms?: readonly string[];
  /** Where DVMs should publish their answers (`relays` tag). */
  readonly relays?: readonly string[];
  /** Encrypts the `i` and `param` tags into `content` for the one target DVM (NIP-90 "Encrypted Params"). */
  readonly encryption?: EncryptionSchemeName;
}

/** A request's tags split by who may read them: `hidden` is what encryption moves into `content`. */
export interface JobRequestTags {
  readonly visible: string[][];
  readonly hidden: string[][];
}

export class JobRequestError extends Error {}

/** The tags of a job request, checked: every mistake is named here, before anything is signed or sent. */
export function jobRequestTags(spec: JobRequestSpec): JobRequestTags {
  if (!Number.isInteger(spec.kind) || !isRequestKind(spec.kind)) throw new JobRequestError(`kind ${spec.kind} is not a job request kind (5000–5999)`);
  const hidden: string[][] = spec.inputs.map(inputTag);
  for (const [name, value] of spec.params ?? []) {
    if (name.trim() === '') throw new JobRequestError('a param needs a name');
    hidden.push(['param', name, value]);
  }
  const visible: string[][] = [];
  if (spec.output !== undefined) {
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(spec.output)) throw new JobRequestError(`output ${JSON.stringify(spec.output)} is not a MIME type (type/subtype)`);
    visible.push(['output', spec.output]);
  }
  if (spec.bidMsats !== undefined) {
    if (!Number.isSafeInteger(spec.bidMsats) || spec.bidMsats < 0) throw new JobRequestError(`bid ${spec.bidMsats} is not a whole number of millisats`);
    visible.push(['bid', String(spec.bidMsats)]);
  }
  const relays = [...new Set(spec.relays ?? [])];
  for (const relay of relays) if (!isWebSocketUrl(relay)) throw new JobRequestError(`relay ${JSON.stringify(relay)} is not a ws:// or wss:// URL`);
  if (relays.length > 0) visible.push(['relays', ...relays]);
  const dvms = [...new Set(spec.dvms ?? [])];
  for (const dvm of dvms) if (!isHex64(dvm)) throw new JobRequestError(`DVM ${JSON.stringify(dvm)} is not a 64-hex public key`);
  visible.push(...dvms.map((dvm) => ['p', dvm]));
  return { visible, hidden };
}

/**
 * A signed NIP-90 job request. Plain: every tag in the clear, `content` empty. Encrypted (NIP-90 "Encrypted
 * Params"): the `i` and `param` tags, as a JSON array of tags, encrypted to the one target DVM in `content`; the
 * event carries an `encrypted` tag and the `p` tag the DVM needs to find and decrypt it.
 */
export function buildJobRequest(spec: JobRequestSpec, key: SecretKey, createdAt = Math.floor(Date.now() / 1000)): NostrEvent {
  const { visible, hidden } = jobRequestTags(spec);
  if (!spec.encryption) return key.sign({ kind: spec.kind, created_at: createdAt, tags: [...hidden, ...visible], content: '' });
  const targets = visible.filter((tag) => tag[0] === 'p');
  if (targets.length !== 1) throw new JobRequestError(`an encrypted job is for exactly one DVM (p tag); this one names ${targets.length}`);
  const content = key.encrypt(spec.encryption, targets[0][1], JSON.stringify(hidden));
  return key.sign({ kind: spec.kind, created_at: createdAt, tags: [...visible, ['encrypted']], content });
}

/** NIP-09 deletion of the customer's own job: how NIP-90 cancels a job. Sign it with the key that signed the job. */
export function buildJobCancellation(job: Pick<NostrEvent, 'id' | 'kind' | 'pubkey'>, key: SecretKey, reason = 'cancelled', createdAt = Math.floor(Date.now() / 1000)): NostrEvent {
  if (!isRequestKind(job.kind)) throw new JobRequestError(`event kind ${job.kind} is not a job request`);
  if (job.pubkey !== key.publicKey) throw new JobRequestError('only the key that posted a job can cancel it');
  return key.sign({ kind: KIND_DELETION, created_at: createdAt, tags: [['e', job.id], ['k', String(job.kind)]], content: reason });
}

/** NIP-90 `i` tag: `["i", data, type, relay, marker]`, with an empty relay when only a marker is given. */
function inputTag(input: JobInput): string[] {
  if (!(JOB_INPUT_TYPES as readonly string[]).includes(input.type)) throw new JobRequestError(`input type ${JSON.stringify(input.type)} is not one of ${JOB_INPUT_TYPES.join(', ')}`);
  const shown = JSON.stringify(input.data.slice(0, 80));
  if ((input.type === 'event' || input.type === 'job') && !isHex64(input.data)) throw new JobRequestError(`an ${input.type} input is a 64-hex event id, not ${shown}`);
  if (input.type === 'url' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(input.data)) throw new JobRequestError(`a url input is a URL, not ${shown}`);
  if (input.relay !== undefined && !isWebSocketUrl(input.relay)) throw new JobRequestError(`input relay ${JSON.stringify(input.relay)} is not a ws:// or wss:// URL`);
  const tag = ['i', input.data, input.type];
  if (input.relay !== undefined || input.marker !== undefined) tag.push(input.relay ?? '');
  if (input.marker !== undefined) tag.push(input.marker);
  return tag;
}
