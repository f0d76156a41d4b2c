import type { AnnouncedParam, DvmAnnouncement, RelayPublishResult } from './jobProtocol';
import type { Bolt11Details } from './nostrProtocol';
import { isRecord, type PanelProtocol } from './webviewPanelProtocol';

/**
 * Messages between the Playground panel (src/panels/playgroundPanel.ts) and its page (webview/playground), inside
 * the panel envelope. The page only ever sees the customer's npub: the key stays in the extension host, which
 * signs, encrypts and decrypts there (DESIGN.md "Keys"). Every string that came from a relay or a DVM is untrusted
 * text and is shown with textContent.
 */

/** What the form holds, as the page has it: text fields, parsed and checked on the host (playgroundForm.ts). */
export interface PlaygroundForm {
  readonly kind: string;
  readonly inputs: readonly { readonly data: string; readonly type: string }[];
  readonly output: string;
  /** One `name value` pair per row; a row with an empty name is ignored. */
  readonly params: readonly (readonly [string, string])[];
  /** Millisats, as typed; empty: no bid. */
  readonly bid: string;
  /** Hex or npub1…; empty: any DVM. */
  readonly dvm: string;
  readonly encrypt: boolean;
  /** One relay URL per line. */
  readonly relays: string;
}

export interface PlaygroundDvm {
  readonly pubkey: string;
  readonly name: string;
  readonly kinds: readonly number[];
  readonly status: string;
  readonly medianResponseSec: number | null;
}

/** One of your earlier jobs, for an input of type `job`. `label` is made of untrusted text. */
export interface PlaygroundJobChoice {
  readonly requestId: string;
  readonly label: string;
  readonly createdAt: number;
  readonly status: string;
}

/** Zap receipts (NIP-57) for the job: it was paid. */
export interface PaidJob {
  readonly zaps: number;
  readonly sats: number;
}

/** One answer to the job, as the customer reads it (decrypted in the host with their key). */
export interface ShownAnswer {
  readonly id: string;
  readonly role: 'feedback' | 'result';
  readonly dvm: string;
  readonly createdAt: number;
  readonly status?: string;
  readonly statusMessage?: string;
  readonly content: string;
  readonly encrypted: boolean;
  readonly decryptError?: string;
  readonly invoice?: Bolt11Details;
  readonly amountMsats?: number;
}

export type ToPlayground =
  | {
    readonly type: 'setup';
    readonly npub: string;
    readonly kinds: readonly { readonly kind: number; readonly name: string }[];
    readonly relays: readonly string[];
    /** The DVM the panel was opened for ("Send Test Job…" on its row). */
    readonly target?: string;
  }
  /** The target picker's DVMs: sent after `setup`, since listing 1,000 DVMs takes the engine longer than the form may. */
  | { readonly type: 'dvms'; readonly dvms: readonly PlaygroundDvm[] }
  /** The picker's DVMs' median response times (seconds; null: none yet), after `dvms`. */
  | { readonly type: 'dvmMedians'; readonly medians: Readonly<Record<string, number | null>> }
  /** Your earlier jobs (newest first), offered to an input of type `job`; sent again whenever you post one. */
  | { readonly type: 'earlierJobs'; readonly jobs: readonly PlaygroundJobChoice[] }
  /** The form as a job you posted had it ("Post Again with Changes…"). */
  | { readonly type: 'prefill'; readonly form: PlaygroundForm }
  | { readonly type: 'publishing' }
  | { readonly type: 'published'; readonly id: string; readonly relays: readonly RelayPublishResult[]; readonly encryption: string | null }
  | { readonly type: 'answers'; readonly id: string; readonly answers: readonly ShownAnswer[]; readonly cancelled: boolean; readonly paid: PaidJob | null }
  | { readonly type: 'cancelled'; readonly id: string; readonly relays: readonly RelayPublishResult[] }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'notice'; readonly message: string };

export type FromPlayground =
  | { readonly type: 'publish'; readonly form: PlaygroundForm }
  | { readonly type: 'cancel' }
  | { readonly type: 'openTrace' }
  | { readonly type: 'openUrl'; readonly url: string }
  | { readonly type: 'copyInvoice'; readonly invoice: string }
  | { readonly type: 'openWallet'; readonly invoice: string };

export const playgroundProtocol = {
  toWebview: isToPlayground,
  fromWebview: isFromPlayground,
  requests: {
    /** What the target DVM announces (params, encryption, relays); null when the database knows nothing of it. */
    announcement: { params: (value: unknown): value is { pubkey: string } => isRecord(value) && isText(value.pubkey), result: isAnnouncementOrNull },
  },
} satisfies PanelProtocol<ToPlayground, FromPlayground, {
  announcement: { params: (value: unknown) => value is { pubkey: string }; result: (value: unknown) => value is DvmAnnouncement | null };
}>;

export function isFromPlayground(value: unknown): value is FromPlayground {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'publish':
      return isForm(value.form);
    case 'cancel':
    case 'openTrace':
      return true;
    case 'openUrl':
      return isText(value.url);
    case 'copyInvoice':
    case 'openWallet':
      return isText(value.invoice);
    default:
      return false;
  }
}

export function isToPlayground(value: unknown): value is ToPlayground {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'setup':
      return isText(value.npub) && isList(value.relays, isText)
        && isList(value.kinds, (kind) => isRecord(kind) && Number.isInteger(kind.kind) && isText(kind.name))
        && (value.target === undefined || isText(value.target));
    case 'dvms':
      return isList(value.dvms, isDvm);
    case 'dvmMedians':
      return isRecord(value.medians) && Object.values(value.medians).every((median) => median === null || typeof median === 'number');
    case 'earlierJobs':
      return isList(value.jobs, (job) => isRecord(job) && isText(job.requestId) && isText(job.label) && typeof job.createdAt === 'number' && isText(job.status));
    case 'prefill':
      return isForm(value.form);
    case 'publishing':
      return true;
    case 'published':
      return isText(value.id) && isList(value.relays, isRelayResult) && (value.encryption === null || isText(value.encryption));
    case 'answers':
      return isText(value.id) && isList(value.answers, isAnswer) && typeof value.cancelled === 'boolean'
        && (value.paid === null || (isRecord(value.paid) && typeof value.paid.zaps === 'number' && typeof value.paid.sats === 'number'));
    case 'cancelled':
      return isText(value.id) && isList(value.relays, isRelayResult);
    case 'error':
    case 'notice':
      return isText(value.message);
    default:
      return false;
  }
}

function isForm(value: unknown): value is PlaygroundForm {
  return isRecord(value) && isText(value.kind) && isText(value.output) && isText(value.bid) && isText(value.dvm) && isText(value.relays)
    && typeof value.encrypt === 'boolean'
    && isList(value.inputs, (input) => isRecord(input) && isText(input.data) && isText(input.type))
    && isList(value.params, (pair) => Array.isArray(pair) && pair.length === 2 && isText(pair[0]) && isText(pair[1]));
}

function isDvm(value: unknown): value is PlaygroundDvm {
  return isRecord(value) && isText(value.pubkey) && isText(value.name) && isText(value.status) && isList(value.kinds, Number.isInteger)
    && (value.medianResponseSec === null || typeof value.medianResponseSec === 'number');
}

function isRelayResult(value: unknown): value is RelayPublishResult {
  return isRecord(value) && isText(value.url) && ['ok', 'rejected', 'timeout', 'failed'].includes(value.outcome as string)
    && (value.message === undefined || isText(value.message)) && (value.ms === undefined || typeof value.ms === 'number');
}

function isAnswer(value: unknown): value is ShownAnswer {
  return isRecord(value) && isText(value.id) && (value.role === 'feedback' || value.role === 'result') && isText(value.dvm)
    && typeof value.createdAt === 'number' && isText(value.content) && typeof value.encrypted === 'boolean'
    && optionalText(value.status) && optionalText(value.statusMessage) && optionalText(value.decryptError)
    && (value.invoice === undefined || (isRecord(value.invoice) && isText(value.invoice.invoice)))
    && (value.amountMsats === undefined || typeof value.amountMsats === 'number');
}

function isAnnouncementOrNull(value: unknown): value is DvmAnnouncement | null {
  if (value === null) return true;
  return isRecord(value) && isText(value.pubkey) && isList(value.kinds, Number.isInteger) && typeof value.encryptionSupported === 'boolean'
    && isList(value.encryptionSchemes, (scheme) => scheme === 'nip04' || scheme === 'nip44') && isList(value.relays, isText)
    && isList(value.params, isParam) && optionalText(value.name);
}

function isParam(value: unknown): value is AnnouncedParam {
  return isRecord(value) && isText(value.name) && typeof value.required === 'boolean' && isList(value.values, isText)
    && optionalText(value.description) && optionalText(value.default);
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function optionalText(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isList<T>(value: unknown, item: (each: unknown) => boolean): value is T[] {
  return Array.isArray(value) && value.every(item);
}
