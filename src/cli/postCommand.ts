import { setTimeout as sleep } from 'node:timers/promises';
import { preferredEncryption } from '../core/jobs/dvmAnnouncement';
import { readJobAnswer, type JobAnswer } from '../core/jobs/jobAnswers';
import { buildJobRequest } from '../core/jobs/jobRequest';
import type { EncryptionSchemeName } from '../core/jobs/secretKey';
import { kindName } from '../core/nostr/kindRegistry';
import { singleLine, withoutControls } from '../core/util/untrustedText';
import type { RelayPublishResult } from '../protocol/jobProtocol';
import type { NostrEvent } from '../protocol/nostrProtocol';
import { formatTable, report, withEngine, type CliCommand } from './cliCommand';
import { jobSpecFlags, KEY_FILE_OPTION, keyFlag, RELAY_OPTION, relayFlags, waitFlag, DEFAULT_WAIT_SECONDS } from './postOptions';

/** What `post --json` prints. */
export interface PostReport {
  readonly id: string;
  readonly kind: number;
  /** The customer: the public key that signed the job (never the secret). */
  readonly pubkey: string;
  readonly npub: string;
  /** From --key-file; false: a key made for this job only and kept nowhere (it cannot cancel the job later). */
  readonly keyKept: boolean;
  readonly encryption: EncryptionSchemeName | null;
  readonly dvms: readonly string[];
  readonly relays: readonly RelayPublishResult[];
  readonly waitedSeconds: number;
  /** With --dvm: every DVM named finished the job (a result, success or error) within the wait. */
  readonly settled: boolean;
  /** Feedback and results, in the order of the trace; decrypted with the customer's key when encrypted to it. */
  readonly answers: readonly JobAnswer[];
  readonly request: NostrEvent;
}

/** Exit codes: 0 posted, 1 no relay took the job, 3 a DVM answered it with an error (for smoke tests in CI). */
const NO_RELAY_TOOK_IT = 1;
const DVM_ERROR = 3;

/**
 * `swarmscope post`: a NIP-90 job, signed here with the user's key (or a key made for this job only), published
 * through the engine, which stores and traces it like any other and listens for its answers on the same relays.
 * The engine only ever sees the signed event; the secret stays in this process and is wiped when done.
 */
export const postCommand: CliCommand = {
  name: 'post',
  summary: "Post a test job (NIP-90) and print each relay's answer and the feedback and results that come back (exit 1: no relay took it; 3: a DVM answered with an error).",
  options: [
    { name: 'kind', value: 'KIND', help: 'the job kind, 5000–5999 (default 5050, text generation)' },
    { name: 'input', value: 'TEXT', required: true, repeatable: true, help: 'an input of the job (`i` tag)' },
    { name: 'input-type', value: 'TYPE', repeatable: true, help: 'text (default), url, event, or job (the output of an earlier job: a chained job); once for all inputs, or once per input' },
    { name: 'output', value: 'MIME', help: 'the output MIME type wanted (`output` tag)' },
    { name: 'param', value: 'K V', arity: 2, repeatable: true, help: 'a job parameter (`param` tag)' },
    { name: 'bid', value: 'MSATS', help: 'the most you will pay, in millisats (`bid` tag)' },
    { name: 'dvm', value: 'PUBKEY', repeatable: true, help: 'a DVM the job is for (hex, npub1…; `p` tag)' },
    { name: 'encrypt', help: 'encrypt the inputs and params to the one --dvm (NIP-44 when the database knows it announces NIP-44, else NIP-04); its answers are decrypted' },
    RELAY_OPTION,
    { name: 'wait', value: 'S', help: `seconds to wait for feedback and results (default ${DEFAULT_WAIT_SECONDS}); with --dvm it ends as soon as each DVM has finished the job` },
    KEY_FILE_OPTION,
  ],
  run: (args, io) => {
    const relays = relayFlags(args);
    const spec = jobSpecFlags(args, relays);
    const waitSeconds = waitFlag(args);
    const { key, kept } = keyFlag(args, true);
    const dvms = spec.dvms ?? [];
    return withEngine(args, io, { collect: false }, async (engine) => {
      let encryption: EncryptionSchemeName | null = null;
      if (spec.encryption) encryption = preferredEncryption(await engine.call('nostr.dvmAnnouncement', { pubkey: dvms[0] }));
      const request = buildJobRequest({ ...spec, ...(encryption ? { encryption } : {}) }, key);
      const published = await engine.call('nostr.publish', { event: request, relays, watchSeconds: waitSeconds });
      const taken = published.relays.some((relay) => relay.outcome === 'ok');
      const started = performance.now();
      let settled = false;
      if (taken && waitSeconds > 0) {
        // Untargeted, any DVM may answer at any time: the whole wait is listened to.
        if (dvms.length > 0) settled = (await engine.call('nostr.awaitJob', { id: request.id, timeoutMs: waitSeconds * 1000, dvms })).settled;
        else await sleep(waitSeconds * 1000);
      }
      await engine.call('nostr.stopWatching', { id: request.id });
      const trace = await engine.call('nostr.trace', { id: request.id });
      const answers = (trace?.events ?? []).map((item) => (item.pubkey === key.publicKey ? undefined : readJobAnswer(item.event, key)))
        .filter((answer): answer is JobAnswer => answer !== undefined);
      const value: PostReport = {
        id: request.id, kind: request.kind, pubkey: key.publicKey, npub: key.npub, keyKept: kept, encryption, dvms,
        relays: published.relays, waitedSeconds: Math.round((performance.now() - started) / 100) / 10, settled, answers, request,
      };
      const code = !taken ? NO_RELAY_TOOK_IT : answers.some((answer) => answer.status === 'error') ? DVM_ERROR : 0;
      return report(args, io, value, () => postText(value), code);
    }).finally(() => key.wipe());
  },
};

/** Text for people: everything a relay or DVM wrote is shown as text (controls removed), results keep their lines. */
function postText(post: PostReport): string {
  const lines = [
    `job ${post.id}  kind ${post.kind} (${kindName(post.kind).name})${post.encryption ? `  encrypted (${post.encryption})` : ''}`,
    `customer ${post.npub}${post.keyKept ? '' : ' (a key made for this job only, kept nowhere)'}`,
    '',
    relayResultsText(post.relays),
    '',
  ];
  if (post.answers.length === 0) {
    lines.push(`no feedback or result within ${post.waitedSeconds} s`);
    return lines.join('\n');
  }
  lines.push(`answers within ${post.waitedSeconds} s:`, formatTable(post.answers.map((answer) => ({
    time: new Date(answer.createdAt * 1000).toISOString(), dvm: answer.pubkey.slice(0, 12), kind: answer.kind,
    status: answer.role === 'result' ? 'result' : singleLine(answer.status ?? ''), sats: answer.amountMsats === undefined ? '' : Math.floor(answer.amountMsats / 1000),
    message: singleLine(answer.statusMessage ?? '').slice(0, 80),
  }))));
  for (const answer of post.answers) {
    if (answer.decryptError) lines.push('', `${answer.role} ${answer.id.slice(0, 12)}: encrypted, not readable (${answer.decryptError})`);
    else if (answer.content !== '') lines.push('', `${answer.role} ${answer.id.slice(0, 12)}${answer.encrypted ? ' (decrypted)' : ''}:`, withoutControls(answer.content, true));
  }
  return lines.join('\n');
}

export function relayResultsText(relays: readonly RelayPublishResult[]): string {
  return formatTable(relays.map((relay) => ({
    relay: relay.url, answer: relay.outcome, ms: relay.ms === undefined ? '' : Math.round(relay.ms), message: singleLine(relay.message ?? ''),
  })));
}
