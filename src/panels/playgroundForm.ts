import { JobRequestError, type JobInputType, type JobRequestSpec } from '../core/jobs/jobRequest';
import type { EncryptionSchemeName } from '../core/jobs/secretKey';
import { parsePubkey } from '../core/nostr/pubkeyInput';
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
