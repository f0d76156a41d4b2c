import { encryptionScheme, type EncryptionScheme } from './encryption';
import {
  firstTag, isHex64, isRequestKind, requestKindOfResult, roleOfKind, type NostrEvent,
} from './nostrEvent';
import { bolt11Msats, parseAmountTag, type ParsedAmount } from './payments';

/** NIP-90 feedback statuses, plus the status a delivered result gives, in the order a job moves through them. */
export const JOB_STATUSES = ['payment-required', 'processing', 'partial', 'error', 'success', 'result-delivered'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Ties between events of one second are broken by this rank (a result outranks the feedback sent with it). */
export function statusRank(status: JobStatus): number {
  return JOB_STATUSES.indexOf(status) + 1;
}

export function isJobStatus(value: string | undefined): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value ?? '');
}

export interface RequestInfo {
  readonly role: 'request';
  readonly event: NostrEvent;
  /** DVMs the request is addressed to (`p` tags). */
  readonly targets: readonly string[];
  /** Jobs this one consumes the output of (`i` tags of type `job`): NIP-90 chaining. */
  readonly parents: readonly string[];
  readonly encrypted: boolean;
  readonly scheme: EncryptionScheme | undefined;
}

export interface ResponseInfo {
  readonly role: 'result' | 'feedback';
  readonly event: NostrEvent;
  /** The request: first `e` tag, else the id inside the `request` tag; undefined when neither names one. */
  readonly requestId: string | undefined;
  readonly linkedBy: 'e-tag' | 'request-tag' | undefined;
  /** The request kind: from the result kind, or for feedback from a `k` tag if present. */
  readonly requestKind: number | undefined;
  /** For feedback, the `status` tag if it is a NIP-90 status; for results, 'result-delivered'. */
  readonly status: JobStatus | undefined;
  /** The raw status text when it is not one of NIP-90's (shown, not used). */
  readonly unknownStatus: string | undefined;
  readonly amount: ParsedAmount;
}

export interface DeletionInfo {
  readonly role: 'deletion';
  readonly event: NostrEvent;
  readonly targets: readonly string[];
}

export interface ZapInfo {
  readonly role: 'zap';
  readonly event: NostrEvent;
  /** The event zapped (`e` tag). */
  readonly targetId: string | undefined;
  /** The zapped pubkey (`p` tag). */
  readonly recipient: string | undefined;
  /** From the receipt's `bolt11` tag, else the `amount` tag of the zap request in `description` (NIP-57). */
  readonly msats: number | undefined;
}

export interface HeartbeatInfo {
  readonly role: 'heartbeat';
  readonly event: NostrEvent;
}

export interface HandlerInfo {
  readonly role: 'handler';
  readonly event: NostrEvent;
  readonly d: string;
  /** Job kinds announced (`k` tags) within 5000–5999. */
  readonly jobKinds: readonly number[];
}

export interface MetadataInfo {
  readonly role: 'metadata';
  readonly event: NostrEvent;
}

export type ClassifiedEvent = RequestInfo | ResponseInfo | DeletionInfo | ZapInfo | HeartbeatInfo | HandlerInfo | MetadataInfo;

/** Classifies a validated event; undefined for kinds outside the DVM model (the validator drops those first). */
export function classify(event: NostrEvent): ClassifiedEvent | undefined {
  const role = roleOfKind(event.kind);
  switch (role) {
    case 'request': return classifyRequest(event);
    case 'result':
    case 'feedback': return classifyResponse(event, role);
    case 'deletion': return { role, event, targets: uniqueHex(event.tags.filter((tag) => tag[0] === 'e').map((tag) => tag[1])) };
    case 'zap': return classifyZap(event);
    case 'heartbeat': return { role, event };
    case 'handler': return classifyHandler(event);
    case 'metadata': return { role, event };
    default: return undefined;
  }
}

function classifyRequest(event: NostrEvent): RequestInfo {
  const encrypted = event.tags.some((tag) => tag[0] === 'encrypted');
  return {
    role: 'request',
    event,
    targets: uniqueHex(event.tags.filter((tag) => tag[0] === 'p').map((tag) => tag[1])),
    parents: uniqueHex(event.tags.filter((tag) => tag[0] === 'i' && tag[2] === 'job').map((tag) => tag[1])),
    encrypted,
    scheme: encrypted ? encryptionScheme(event.content) : undefined,
  };
}

function classifyResponse(event: NostrEvent, role: 'result' | 'feedback'): ResponseInfo {
  const { requestId, linkedBy } = linkedRequest(event);
  const statusText = role === 'feedback' ? firstTag(event, 'status')?.[1] : undefined;
  const kTag = Number(firstTag(event, 'k')?.[1]);
  return {
    role,
    event,
    requestId,
    linkedBy,
    requestKind: role === 'result' ? requestKindOfResult(event.kind) : isRequestKind(kTag) ? kTag : undefined,
    status: role === 'result' ? 'result-delivered' : isJobStatus(statusText) ? statusText : undefined,
    unknownStatus: role === 'feedback' && !isJobStatus(statusText) ? statusText : undefined,
    amount: parseAmountTag(firstTag(event, 'amount')),
  };
}

/**
 * DESIGN.md linking: the first `e` tag names the request; without one, the id inside the `request` tag (the
 * request event embedded as JSON). A malformed first `e` tag (no hex id) counts as missing.
 */
export function linkedRequest(event: NostrEvent): { requestId: string | undefined; linkedBy: ResponseInfo['linkedBy'] } {
  const eTag = firstTag(event, 'e');
  if (eTag && isHex64(eTag[1])) return { requestId: eTag[1], linkedBy: 'e-tag' };
  const embedded = firstTag(event, 'request')?.[1];
  if (embedded) {
    try {
      const parsed = JSON.parse(embedded) as unknown;
      const id = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
      if (isHex64(id)) return { requestId: id, linkedBy: 'request-tag' };
    } catch {
      /* not JSON: no link */
    }
  }
  return { requestId: undefined, linkedBy: undefined };
}

function classifyZap(event: NostrEvent): ZapInfo {
  const target = firstTag(event, 'e')?.[1];
  const recipient = firstTag(event, 'p')?.[1];
  const invoice = firstTag(event, 'bolt11')?.[1];
  let msats = invoice ? bolt11Msats(invoice) : undefined;
  if (msats === undefined) msats = zapRequestAmount(firstTag(event, 'description')?.[1]);
  return { role: 'zap', event, targetId: isHex64(target) ? target : undefined, recipient: isHex64(recipient) ? recipient : undefined, msats };
}

/** NIP-57: the receipt's `description` is the zap request (kind 9734) as JSON; its `amount` tag is millisats. */
function zapRequestAmount(description: string | undefined): number | undefined {
  if (!description) return undefined;
  try {
    const request = JSON.parse(description) as { tags?: unknown };
    if (!Array.isArray(request.tags)) return undefined;
    const amount = request.tags.find((tag): tag is string[] => Array.isArray(tag) && tag[0] === 'amount');
    const msats = Number(amount?.[1]);
    return Number.isSafeInteger(msats) && msats >= 0 ? msats : undefined;
  } catch {
    return undefined;
  }
}

function classifyHandler(event: NostrEvent): HandlerInfo {
  const kinds = new Set<number>();
  for (const tag of event.tags) {
    if (tag[0] !== 'k') continue;
    const kind = Number(tag[1]);
    if (Number.isInteger(kind) && isRequestKind(kind)) kinds.add(kind);
  }
  return { role: 'handler', event, d: firstTag(event, 'd')?.[1] ?? '', jobKinds: [...kinds].sort((a, b) => a - b) };
}

function uniqueHex(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter(isHex64))];
}
