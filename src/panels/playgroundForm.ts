import { JobRequestError, type JobInputType, type JobRequestSpec } from '../core/jobs/jobRequest';
import type { EncryptionSchemeName, SecretKey } from '../core/jobs/secretKey';
import { encryptionScheme } from '../core/nostr/encryption';
import { parsePubkey } from '../core/nostr/pubkeyInput';
import type { NostrEvent } from '../protocol/nostrProtocol';
import type { PlaygroundForm } from '../protocol/playgroundPanelProtocol';

/** The form's spec and the relays to publish to; `encrypt` asks the caller to pick the scheme the target takes. */
export interface PlaygroundJob {
  readonly spec: Omit<JobRequestSpec, 'encryption'>;
  readonly relays: readonly string[];
  readonly encrypt: boolean;
}

/**
 * The page's text fields as a job spec. Only what text can get wrong is checked here (numbers, the DVM key, empty
 * rows); jobRequestTags checks the rest when the request is built, and names every mistake before anything is signed.
 */
export function playgroundJob(form: PlaygroundForm): PlaygroundJob {
  const kind = Number(form.kind.trim());
  if (form.kind.trim() === '' || !Number.isInteger(kind)) throw new JobRequestError(`kind ${JSON.stringify(form.kind.slice(0, 20))} is not a number`);
  const inputs = form.inputs.filter((input) => input.data.trim() !== '').map((input) => ({ data: input.data, type: input.type as JobInputType }));
  if (inputs.length === 0) throw new JobRequestError('a job needs at least one input');
  const bid = form.bid.trim();
  let bidMsats: number | undefined;
  if (bid !== '') {
    bidMsats = Number(bid);
    if (!/^\d+$/.test(bid) || !Number.isSafeInteger(bidMsats)) throw new JobRequestError(`bid ${JSON.stringify(bid.slice(0, 20))} is not a whole number of millisats`);
  }
  const dvmText = form.dvm.trim();
  const dvm = dvmText === '' ? undefined : parsePubkey(dvmText);
  if (dvmText !== '' && !dvm) throw new JobRequestError('the target DVM is not a public key (64 hex characters or npub1…)');
  if (form.encrypt && !dvm) throw new JobRequestError('an encrypted job needs a target DVM to encrypt to');
  const relays = [...new Set(form.relays.split(/\s+/).filter((relay) => relay !== ''))];
  if (relays.length === 0) throw new JobRequestError('name at least one relay to publish to');
  const params = form.params.filter(([name]) => name.trim() !== '').map(([name, value]) => [name.trim(), value] as const);
  const output = form.output.trim();
  return {
    spec: {
      kind, inputs, relays,
      ...(output !== '' ? { output } : {}),
      ...(params.length > 0 ? { params } : {}),
      ...(bidMsats !== undefined ? { bidMsats } : {}),
      ...(dvm ? { dvms: [dvm] } : {}),
    },
    relays,
    encrypt: form.encrypt,
  };
}

/** The spec to sign: with the scheme when the form asked for encryption. */
export function withEncryption(job: PlaygroundJob, scheme: EncryptionSchemeName): JobRequestSpec {
  return job.encrypt ? { ...job.spec, encryption: scheme } : job.spec;
}

/**
 * The form as a job request you posted had it ("Post Again with Changes…"). NIP-90: an encrypted request carries its
 * `i` and `param` tags encrypted to the one DVM of its `p` tag; you wrote them, so your key and that DVM's reads them
 * back. A request that cannot be read so keeps its inputs empty.
 */
export function formOfRequest(request: NostrEvent, key: SecretKey): PlaygroundForm {
  const dvm = request.tags.find((tag) => tag[0] === 'p')?.[1] ?? '';
  const encrypted = request.tags.some((tag) => tag[0] === 'encrypted');
  let tags: readonly (readonly string[])[] = request.tags;
  if (encrypted) tags = decryptedTags(request, dvm, key);
  const inputs = tags.filter((tag) => tag[0] === 'i' && typeof tag[1] === 'string').map((tag) => ({ data: tag[1], type: tag[2] ?? 'text' }));
  return {
    kind: String(request.kind),
    inputs: inputs.length > 0 ? inputs : [{ data: '', type: 'text' }],
    output: request.tags.find((tag) => tag[0] === 'output')?.[1] ?? '',
    params: tags.filter((tag) => tag[0] === 'param' && typeof tag[1] === 'string').map((tag) => [tag[1], tag[2] ?? ''] as const),
    bid: request.tags.find((tag) => tag[0] === 'bid')?.[1] ?? '',
    dvm,
    encrypt: encrypted,
    relays: request.tags.find((tag) => tag[0] === 'relays')?.slice(1).join('\n') ?? '',
  };
}

function decryptedTags(request: NostrEvent, dvm: string, key: SecretKey): readonly (readonly string[])[] {
  const scheme = encryptionScheme(request.content);
  if (scheme === 'unknown' || request.pubkey !== key.publicKey || !/^[0-9a-f]{64}$/.test(dvm)) return [];
  try {
    const parsed = JSON.parse(key.decrypt(scheme, dvm, request.content)) as unknown;
    return Array.isArray(parsed) ? parsed.filter((tag): tag is string[] => Array.isArray(tag) && tag.every((each) => typeof each === 'string')) : [];
  } catch {
    return [];
  }
}
