import { AbstractRelay, type AbstractRelayConstructorOptions, type Subscription } from 'nostr-tools/abstract-relay';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent, type Event } from 'nostr-tools/pure';
import { RelayWebSocket } from '../../src/core/collectors/relayWebSocket';
import { encryptionScheme } from '../../src/core/nostr/encryption';
import { makeBolt11Invoice } from './bolt11Invoice';

/**
 * A simulated NIP-90 Data Vending Machine with its own key, for integration tests. For each job of its kind
 * (default 5050) addressed to it by `p` tag, or to nobody, it publishes in order:
 *   7000 payment-required (`["amount", msats, bolt11]`, a real decodable invoice) → 7000 processing → 6050 result;
 * or, when the job carries `["param", "fail", "true"]`, one 7000 error. A job with an `encrypted` tag carries its
 * `i`/`param` tags NIP-04-encrypted in `content` to the DVM; the result then comes back encrypted to the customer.
 * It announces itself with a NIP-89 31990 (k=5050) and can send heartbeats (kind 11998).
 * Its events often share one `created_at` second, as a real fast DVM's do.
 */

export const SIMULATED_JOB_KIND = 5050;
export const HEARTBEAT_KIND = 11998;

export interface DvmSimulatorOptions {
  readonly relayUrl: string;
  readonly secretKey?: Uint8Array;
  readonly name?: string;
  readonly jobKind?: number;
  readonly amountMsats?: number;
  /** Publish the NIP-89 announcement at start (default true). */
  readonly announce?: boolean;
  /** Send a heartbeat this often (off when absent). */
  readonly heartbeatMs?: number;
  /** More fields of the NIP-89 announcement's JSON content (about, picture, website, …), e.g. hostile ones. */
  readonly profile?: Readonly<Record<string, unknown>>;
  /** Also publish this as its NIP-01 metadata (kind 0 content) at start. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Unix seconds to date what it publishes (default: now); a clock behind lets a test show a past silence. */
  readonly clock?: () => number;
  /**
   * Takes NIP-44 encrypted jobs too (answering in NIP-44), and says so in its announcement (`"nip44": true`, as
   * src/core/jobs/dvmAnnouncement.ts reads it). Without it, a NIP-44 job gets a 7000 error: it cannot read it.
   */
  readonly nip44?: boolean;
}

function connectRelay(url: string): Promise<AbstractRelay> {
  return AbstractRelay.connect(url, {
    verifyEvent,
    websocketImplementation: RelayWebSocket as unknown as AbstractRelayConstructorOptions['websocketImplementation'],
    timeout: 5_000,
  });
}

export class DvmSimulator {
  readonly pubkey: string;
  /** Everything this DVM published, in order. */
  readonly published: Event[] = [];
  announcement: Event | undefined;
  /** Jobs addressed to it (or to nobody) that arrived while it was not answering, in order. */
  readonly ignored: Event[] = [];
  /** While false it stays connected and subscribed but answers nothing, as a hung DVM process would. */
  answering = true;
  private readonly handled = new Set<string>();
  private readonly resultsByRequest = new Map<string, Event>();
  private subscription: Subscription | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();

  private constructor(
    private readonly relay: AbstractRelay,
    private readonly secretKey: Uint8Array,
    private readonly options: DvmSimulatorOptions,
  ) {
    this.pubkey = getPublicKey(secretKey);
  }

  static async start(options: DvmSimulatorOptions): Promise<DvmSimulator> {
    const relay = await connectRelay(options.relayUrl);
    const simulator = new DvmSimulator(relay, options.secretKey ?? generateSecretKey(), options);
    await simulator.listen();
    return simulator;
  }

  get jobKind(): number {
    return this.options.jobKind ?? SIMULATED_JOB_KIND;
  }

  /** The events this DVM published in answer to one request (feedback and result). */
  answersTo(requestId: string): Event[] {
    return this.published.filter((event) => event.tags.some((tag) => tag[0] === 'e' && tag[1] === requestId));
  }

  /** Answers a job it did not receive live (one dated before it subscribed), as if it had. */
  answerJob(job: Event): Promise<void> {
    this.work = this.work.then(() => this.answer(job));
    return this.work;
  }

  async heartbeat(): Promise<Event> {
    return this.publish({ kind: HEARTBEAT_KIND, tags: [['status', 'online']], content: '' });
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    this.subscription?.close();
    await this.work.catch(() => undefined);
    this.relay.close();
  }

  private async listen(): Promise<void> {
    if (this.options.announce !== false) {
      this.announcement = await this.publish({
        kind: 31990,
        tags: [['d', `swarmscope-sim-${this.pubkey.slice(0, 8)}`], ['k', String(this.jobKind)]],
        content: JSON.stringify({
          name: this.options.name ?? 'Swarmscope test DVM',
          about: 'Answers kind 5050 jobs for integration tests',
          encryptionSupported: true,
          nip90Params: { fail: { required: false, values: ['true'] } },
          ...(this.options.nip44 ? { nip44: true } : {}),
          ...this.options.profile,
        }),
      });
    }
    if (this.options.metadata) await this.publish({ kind: 0, tags: [], content: JSON.stringify(this.options.metadata) });
    const since = Math.floor(Date.now() / 1000) - 1;
    await new Promise<void>((resolve) => {
      this.subscription = this.relay.subscribe([{ kinds: [this.jobKind], since }], {
        label: 'dvm-simulator',
        // Jobs are answered one after another, so a job's events reach the relay in order.
        onevent: (job) => {
          this.work = this.work.then(() => this.answer(job)).catch(() => undefined);
        },
        oneose: () => resolve(),
      });
    });
    if (this.options.heartbeatMs) {
      this.heartbeatTimer = setInterval(() => void this.heartbeat().catch(() => undefined), this.options.heartbeatMs);
      this.heartbeatTimer.unref?.();
    }
  }

  private async answer(job: Event): Promise<void> {
    if (this.handled.has(job.id)) return;
    const target = job.tags.find((tag) => tag[0] === 'p')?.[1];
    if (target !== undefined && target !== this.pubkey) return; // addressed to another DVM
    if (!this.answering) {
      this.ignored.push(job);
      return;
    }
    this.handled.add(job.id);

    const encrypted = job.tags.some((tag) => tag[0] === 'encrypted');
    let jobTags = job.tags;
    if (encrypted) {
      try {
        jobTags = JSON.parse(this.decrypt(job)) as string[][];
      } catch {
        await this.feedback(job, 'error', 'could not decrypt the job');
        return;
      }
    }
    if (jobTags.some((tag) => tag[0] === 'param' && tag[1] === 'fail' && tag[2] === 'true')) {
      await this.feedback(job, 'error', 'simulated failure requested by the fail param');
      return;
    }

    const amount = this.options.amountMsats ?? 21_000;
    const { invoice } = makeBolt11Invoice({ amountMsats: amount, description: `job ${job.id.slice(0, 8)}`, expirySeconds: 3600 });
    await this.feedback(job, 'payment-required', 'pay to get your answer', [['amount', String(amount), invoice]]);
    await this.feedback(job, 'processing', 'working on it');

    const output = `echo: ${inputsOf(jobTags, this.resultsByRequest).join(' | ')}`;
    const routing = [['e', job.id, this.options.relayUrl], ['p', job.pubkey]];
    const result = encrypted
      ? await this.publish({
          kind: job.kind + 1000,
          tags: [...routing, ['encrypted'], ['amount', String(amount), invoice]],
          content: this.encrypt(job, output),
        })
      : await this.publish({
          kind: job.kind + 1000,
          tags: [['request', JSON.stringify(job)], ...routing, ...jobTags.filter((tag) => tag[0] === 'i'), ['amount', String(amount), invoice]],
          content: output,
        });
    this.resultsByRequest.set(job.id, result);
  }

  /** In the scheme the job came in: NIP-44 (when this DVM takes it) or NIP-04. */
  private decrypt(job: Event): string {
    if (encryptionScheme(job.content) !== 'nip44') return nip04.decrypt(this.secretKey, job.pubkey, job.content);
    if (!this.options.nip44) throw new Error('this DVM does not take NIP-44');
    return nip44.decrypt(job.content, nip44.getConversationKey(this.secretKey, job.pubkey));
  }

  private encrypt(job: Event, text: string): string {
    return encryptionScheme(job.content) === 'nip44'
      ? nip44.encrypt(text, nip44.getConversationKey(this.secretKey, job.pubkey))
      : nip04.encrypt(this.secretKey, job.pubkey, text);
  }

  private feedback(job: Event, status: string, message: string, extra: string[][] = []): Promise<Event> {
    const tags = [['status', status, message], ...extra, ['e', job.id, this.options.relayUrl], ['p', job.pubkey]];
    if (job.tags.some((tag) => tag[0] === 'encrypted')) tags.push(['encrypted']);
    return this.publish({ kind: 7000, tags, content: '' });
  }

  private async publish(template: { kind: number; tags: string[][]; content: string }): Promise<Event> {
    const event = finalizeEvent({ ...template, created_at: this.options.clock?.() ?? Math.floor(Date.now() / 1000) }, this.secretKey);
    await this.relay.publish(event);
    this.published.push(event);
    return event;
  }
}

/** Text of the `i` tags; a `job` input is replaced by that job's result when this DVM made it (NIP-90 chaining). */
function inputsOf(tags: readonly string[][], results: ReadonlyMap<string, Event>): string[] {
  return tags
    .filter((tag) => tag[0] === 'i')
    .map((tag) => (tag[2] === 'job' ? results.get(tag[1])?.content ?? `job ${tag[1].slice(0, 8)}` : tag[1]));
}

// ——— the customer side ———

export interface JobRequestOptions {
  readonly secretKey: Uint8Array;
  readonly kind?: number;
  readonly input?: string;
  /** NIP-90 input type of `input`: text (default), url, event or job. */
  readonly inputType?: 'text' | 'url' | 'event' | 'job';
  readonly params?: readonly (readonly [string, string])[];
  /** Address the job to one DVM (`p` tag); required for `encrypt`. */
  readonly dvmPubkey?: string;
  /** NIP-04-encrypt the `i` and `param` tags into `content`, with an `encrypted` tag. */
  readonly encrypt?: boolean;
  /** Adds `["param", "fail", "true"]`: the simulator answers with a 7000 error. */
  readonly fail?: boolean;
  readonly createdAt?: number;
}

export function buildJobRequest(options: JobRequestOptions): Event {
  const params: string[][] = (options.params ?? []).map(([name, value]) => ['param', name, value]);
  if (options.fail) params.push(['param', 'fail', 'true']);
  const inputs = [['i', options.input ?? 'say hello', options.inputType ?? 'text']];
  const routing = options.dvmPubkey ? [['p', options.dvmPubkey]] : [];
  let tags: string[][];
  let content = '';
  if (options.encrypt) {
    if (!options.dvmPubkey) throw new Error('an encrypted job needs the DVM pubkey to encrypt to');
    content = nip04.encrypt(options.secretKey, options.dvmPubkey, JSON.stringify([...inputs, ...params]));
    tags = [...routing, ['encrypted']];
  } else {
    tags = [...inputs, ...params, ...routing];
  }
  return finalizeEvent({ kind: options.kind ?? SIMULATED_JOB_KIND, created_at: options.createdAt ?? Math.floor(Date.now() / 1000), tags, content }, options.secretKey);
}

/** A sub-job whose input is an earlier job (NIP-90 chaining: `["i", <request id>, "job"]`). */
export function buildChainedJob(options: Omit<JobRequestOptions, 'input' | 'inputType'> & { readonly previousRequestId: string }): Event {
  return buildJobRequest({ ...options, input: options.previousRequestId, inputType: 'job' });
}

/** A NIP-09 deletion of the customer's own request (cancels the job). */
export function buildDeletion(secretKey: Uint8Array, request: Event): Event {
  return finalizeEvent({
    kind: 5,
    created_at: Math.floor(Date.now() / 1000),
    tags: [['e', request.id], ['k', String(request.kind)]],
    content: 'cancelled',
  }, secretKey);
}

/** A customer's connection, for publishing requests and reading answers like any client. */
export class RelayPublisher {
  private constructor(private readonly relay: AbstractRelay) {}

  static async connect(url: string): Promise<RelayPublisher> {
    return new RelayPublisher(await connectRelay(url));
  }

  /** Resolves on the relay's OK; rejects with its reason when refused. */
  async publish(event: Event): Promise<void> {
    await this.relay.publish(event);
  }

  close(): void {
    this.relay.close();
  }
}
