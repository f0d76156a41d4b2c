import { preferredEncryption } from '../core/jobs/dvmAnnouncement';
import { readJobAnswer } from '../core/jobs/jobAnswers';
import { buildJobCancellation, buildJobRequest } from '../core/jobs/jobRequest';
import type { EncryptionSchemeName } from '../core/jobs/secretKey';
import { decodeBolt11 } from '../core/nostr/bolt11Details';
import { builtInKinds, kindName } from '../core/nostr/kindRegistry';
import { isRequestKind } from '../core/nostr/nostrEvent';
import { parsePubkey } from '../core/nostr/pubkeyInput';
import { describeError } from '../core/util/errors';
import { untrustedText } from '../core/util/untrustedText';
import type { NostrIdentity } from '../identity/nostrIdentity';
import type { PostedJobSummary } from '../protocol/jobProtocol';
import type { NostrEvent } from '../protocol/nostrProtocol';
import {
  playgroundProtocol, type FromPlayground, type PlaygroundDvm, type PlaygroundJobChoice, type ShownAnswer, type ToPlayground,
} from '../protocol/playgroundPanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import type { PanelDefinition } from './panelDefinition';
import type { PanelChannel, PanelController } from './panelSession';
import { SerialRead } from './serialRead';
import { formOfRequest, playgroundJob, withEncryption } from './playgroundForm';

type PlaygroundProtocol = typeof playgroundProtocol;

/** What the playground may ask of VS Code (playgroundActions.ts); the panel's logic stays vscode-free. */
export interface PlaygroundActions {
  openExternal(uri: string): Promise<void>;
  copy(text: string): Promise<void>;
  openTrace(requestId: string): void;
  /** The relays of the swarmscope.nostr.relays setting, as the engine validates them. */
  configuredRelays(): readonly string[];
}

export interface PlaygroundDeps {
  readonly engine: EngineRequester;
  readonly identity: NostrIdentity;
  readonly actions: PlaygroundActions;
}

/**
 * The panel was opened for this DVM ("Send Test Job…" on its row), or to post one of your jobs again with changes
 * (`again`: its request id, "Post Again with Changes…" in My jobs); neither from the palette.
 */
export interface PlaygroundSubject {
  readonly target?: string;
  readonly again?: string;
}

/** The engine listens for the job's answers this long after publishing (the job's page stays useful meanwhile). */
const WATCH_SECONDS = 30 * 60;
/** The target picker offers this many known DVMs. */
const KNOWN_DVMS = 1_000;
/** A job input of type `job` picks one of this many of your newest jobs. */
const EARLIER_JOBS = 50;
/** The coalescer cuts a notification's id lists at this length (changeCoalescer.ts): a full list may omit ours. */
const CUT_LIST_LENGTH = 1_000;

/** A playground keeps the job it posted last, so the page can show that job again after it is hidden. */
export function playgroundPanel(deps: PlaygroundDeps): PanelDefinition<PlaygroundSubject, PlaygroundProtocol> {
  return {
    viewType: 'swarmscope.playground',
    bundle: 'playground',
    styles: ['media/playground.css'],
    protocol: playgroundProtocol,
    title: (subject) => (subject.again ? `Post Again · ${subject.again.slice(0, 8)}` : subject.target ? `Test Job · ${subject.target.slice(0, 8)}` : 'Post Test Job'),
    // One per target DVM, one per job posted again, and one for the palette's untargeted form.
    key: (subject) => (subject.again ? `again:${subject.again}` : subject.target ?? ''),
    parseSubject: (value) => (isSubject(value) ? value : undefined),
    create: (channel, subject) => new PlaygroundPanel(channel, deps, subject),
  };
}

interface PostedJob {
  readonly request: NostrEvent;
  readonly relays: readonly string[];
  readonly encryption: EncryptionSchemeName | null;
  published: Extract<ToPlayground, { type: 'published' }>;
  cancelled?: Extract<ToPlayground, { type: 'cancelled' }>;
}

/**
 * Posts a NIP-90 job signed with the user's key (NostrIdentity, in this process only) through the engine, which
 * publishes it, stores it and listens for its answers; then shows each relay's answer and the DVMs' feedback and
 * results, decrypted here with the same key. The page gets the npub and readable answers, never the key.
 */
export class PlaygroundPanel implements PanelController<PlaygroundProtocol> {
  readonly requests = {
    announcement: async ({ pubkey }: { pubkey: string }) => {
      const key = parsePubkey(pubkey);
      return key ? this.deps.engine.request('nostr.dvmAnnouncement', { pubkey: key }) : null;
    },
  };
  private job: PostedJob | undefined;
  private readonly answerReads = new SerialRead(() => this.readAnswersOnce(), () => this.disposed);
  private disposed = false;

  constructor(
    private readonly channel: PanelChannel<PlaygroundProtocol>,
    private readonly deps: PlaygroundDeps,
    private readonly subject: PlaygroundSubject,
  ) {
    channel.follow(['nostr.changed', 'nostr.posted'], {
      changed: (notification) => {
        if (notification.topic === 'nostr.posted') {
          void this.sendEarlierJobs();
          return;
        }
        const jobs = notification.payload.jobs;
        if (this.job && (jobs.length >= CUT_LIST_LENGTH || jobs.includes(this.job.request.id))) void this.readAnswers();
      },
      missed: () => {
        void this.readAnswers();
        void this.sendEarlierJobs();
      },
    });
  }

  /** Every page (first, shown again, reloaded) gets the form's setup, then the job it showed, if any. */
  ready(): void {
    void this.setup();
  }

  received(message: FromPlayground): void {
    switch (message.type) {
      case 'publish':
        void this.publish(message.form);
        return;
      case 'cancel':
        void this.cancel();
        return;
      case 'openTrace':
        if (this.job) this.deps.actions.openTrace(this.job.request.id);
        return;
      case 'openUrl':
        // Only web links leave through VS Code; the page never loads them itself.
        if (/^https?:\/\/\S+$/i.test(message.url)) void this.deps.actions.openExternal(message.url).catch((error: unknown) => this.notice(`Could not open the link: ${describeError(error)}`));
        return;
      case 'copyInvoice':
        void this.deps.actions.copy(message.invoice).then(() => this.notice('Invoice copied.'), (error: unknown) => this.notice(`Could not copy: ${describeError(error)}`));
        return;
      case 'openWallet':
        if (/^ln[a-z0-9]+$/i.test(message.invoice)) void this.deps.actions.openExternal(`lightning:${message.invoice}`).catch((error: unknown) => this.notice(`Could not open a wallet: ${describeError(error)}`));
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.job) void this.deps.engine.request('nostr.stopWatching', { id: this.job.request.id }).catch(() => undefined);
  }

  private async setup(): Promise<void> {
    try {
      const kinds = builtInKinds().filter(isRequestKind).sort((a, b) => a - b).map((kind) => ({ kind, name: kindName(kind).name }));
      this.channel.post({
        type: 'setup', npub: await this.deps.identity.npub(), kinds, relays: [...this.deps.actions.configuredRelays()],
        ...(this.subject.target ? { target: this.subject.target } : {}),
      });
      if (this.job) {
        this.channel.post(this.job.published);
        if (this.job.cancelled) this.channel.post(this.job.cancelled);
        void this.readAnswers();
      } else if (this.subject.again) {
        await this.prefill(this.subject.again);
      }
      void this.sendEarlierJobs();
      // Only what the picker shows (nostr.dvmChoices): full DVM summaries for 1,000 DVMs kept the form waiting. Their
      // median response times follow: read from months of jobs, they may take seconds.
      const choices = await this.deps.engine.request('nostr.dvmChoices', { limit: KNOWN_DVMS });
      const dvms: PlaygroundDvm[] = choices.filter((dvm) => dvm.kinds.some(isRequestKind)).map((dvm) => ({
        pubkey: dvm.pubkey, name: untrustedText(dvm.name) || `${dvm.pubkey.slice(0, 16)}…`, kinds: dvm.kinds.filter(isRequestKind), status: dvm.status, medianResponseSec: null,
      }));
      if (this.disposed) return;
      this.channel.post({ type: 'dvms', dvms });
      const medians = await this.deps.engine.request('nostr.dvmMedians', { pubkeys: dvms.map((dvm) => dvm.pubkey) });
      if (!this.disposed) this.channel.post({ type: 'dvmMedians', medians });
    } catch (error) {
      this.error(error);
    }
  }

  /** Your earlier jobs, for an input of type `job` (NIP-90 chaining by hand). */
  private async sendEarlierJobs(): Promise<void> {
    try {
      const jobs = (await this.deps.engine.request('nostr.postedJobs', { limit: EARLIER_JOBS })).map(jobChoice);
      if (!this.disposed) this.channel.post({ type: 'earlierJobs', jobs });
    } catch (error) {
      this.error(error);
    }
  }

  /** The form filled from a job you posted: its inputs and params decrypted with your key when it was encrypted. */
  private async prefill(requestId: string): Promise<void> {
    // A job not posted from here ("Send Test Job…" in a trace) fills the form from its stored request.
    const request = (await this.deps.engine.request('nostr.postedRequest', { id: requestId })) ?? (await this.deps.engine.request('nostr.event', { id: requestId }));
    if (!request || !isRequestKind(request.kind)) {
      this.notice('That job is not in the database: the form starts empty.');
      return;
    }
    const form = await this.deps.identity.use((key) => formOfRequest(request, key));
    if (!this.disposed) this.channel.post({ type: 'prefill', form });
  }

  private async publish(form: Parameters<typeof playgroundJob>[0]): Promise<void> {
    this.channel.post({ type: 'publishing' });
    try {
      const job = playgroundJob(form);
      let encryption: EncryptionSchemeName | null = null;
      if (job.encrypt) encryption = preferredEncryption(await this.deps.engine.request('nostr.dvmAnnouncement', { pubkey: job.spec.dvms![0] }));
      const request = await this.deps.identity.use((key) => buildJobRequest(withEncryption(job, encryption ?? 'nip04'), key));
      const previous = this.job;
      if (previous) void this.deps.engine.request('nostr.stopWatching', { id: previous.request.id }).catch(() => undefined);
      const result = await this.deps.engine.request('nostr.publish', { event: request, relays: job.relays, watchSeconds: WATCH_SECONDS });
      const published = { type: 'published' as const, id: request.id, relays: result.relays, encryption };
      this.job = { request, relays: job.relays, encryption, published };
      this.channel.post(published);
      void this.readAnswers();
    } catch (error) {
      this.error(error);
    }
  }

  private async cancel(): Promise<void> {
    const job = this.job;
    if (!job) return;
    try {
      const deletion = await this.deps.identity.use((key) => buildJobCancellation(job.request, key));
      const result = await this.deps.engine.request('nostr.publish', { event: deletion, relays: job.relays });
      job.cancelled = { type: 'cancelled', id: job.request.id, relays: result.relays };
      this.channel.post(job.cancelled);
    } catch (error) {
      this.error(error);
    }
  }

  /** Reads the job's answers from the store; reads never overlap, and a change during one reads again after it. */
  private async readAnswers(): Promise<void> {
    try {
      await this.answerReads.run();
    } catch (error) {
      this.error(error);
    }
  }

  private async readAnswersOnce(): Promise<void> {
    const job = this.job;
    if (!job) return;
    const trace = await this.deps.engine.request('nostr.trace', { id: job.request.id });
    const answers = await this.deps.identity.use((key) => (trace?.events ?? []).flatMap((item): ShownAnswer[] => {
      const answer = item.pubkey === key.publicKey ? undefined : readJobAnswer(item.event, key);
      if (!answer) return [];
      const invoice = answer.bolt11 ? decodeBolt11(answer.bolt11) : undefined;
      return [{
        id: answer.id, role: answer.role, dvm: answer.pubkey, createdAt: answer.createdAt, content: answer.content, encrypted: answer.encrypted,
        ...(answer.status !== undefined ? { status: answer.status } : {}),
        ...(answer.statusMessage !== undefined ? { statusMessage: answer.statusMessage } : {}),
        ...(answer.decryptError !== undefined ? { decryptError: answer.decryptError } : {}),
        ...(answer.amountMsats !== undefined ? { amountMsats: answer.amountMsats } : {}),
        ...(invoice ? { invoice } : answer.bolt11 ? { invoice: { invoice: answer.bolt11 } } : {}),
      }];
    }));
    // NIP-57: a zap receipt for the job (its request, or a DVM's feedback or result) proves it was paid.
    const zaps = (trace?.events ?? []).filter((item) => item.role === 'zap');
    const paid = zaps.length > 0 ? { zaps: zaps.length, sats: zaps.reduce((sum, zap) => sum + (zap.amountSats ?? 0), 0) } : null;
    if (!this.disposed && this.job === job) this.channel.post({ type: 'answers', id: job.request.id, answers, cancelled: trace?.cancelled ?? false, paid });
  }

  private error(error: unknown): void {
    if (!this.disposed) this.channel.post({ type: 'error', message: describeError(error) });
  }

  private notice(message: string): void {
    if (!this.disposed) this.channel.post({ type: 'notice', message });
  }
}

function isSubject(value: unknown): value is PlaygroundSubject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { target, again } = value as { target?: unknown; again?: unknown };
  return (target === undefined || typeof target === 'string') && (again === undefined || typeof again === 'string');
}

function jobChoice(job: PostedJobSummary): PlaygroundJobChoice {
  const input = job.encrypted ? 'encrypted' : job.input ? untrustedText(job.input.data, 60) : 'no input';
  return { requestId: job.requestId, label: `${untrustedText(job.kindName, 40)} (${job.kind}) · ${input}`, createdAt: job.createdAt, status: job.status };
}
