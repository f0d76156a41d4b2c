import type { NostrEvent } from '../nostr/eventTypes';
import { encryptionScheme } from '../nostr/encryption';
import { isResultKind, KIND_FEEDBACK } from '../nostr/nostrEvent';
import { parseAmountTag } from '../nostr/payments';
import type { SecretKey } from './secretKey';

/** A DVM's feedback or result for a job, as its customer reads it: decrypted when it was encrypted to them. */
export interface JobAnswer {
  readonly id: string;
  readonly kind: number;
  readonly role: 'feedback' | 'result';
  /** The DVM. */
  readonly pubkey: string;
  readonly createdAt: number;
  /** Feedback: its NIP-90 status (from the event, or from inside its encrypted content); untrusted text. */
  readonly status?: string;
  /** The text after the status (`["status", status, extra]`); untrusted text. */
  readonly statusMessage?: string;
  readonly amountMsats?: number;
  readonly bolt11?: string;
  /** Result output or feedback content, decrypted when that worked. Untrusted text: show it as text. */
  readonly content: string;
  readonly encrypted: boolean;
  /** Set for an encrypted answer: whether `content` is the plaintext. */
  readonly decrypted?: boolean;
  /** Why an encrypted answer could not be read (our words). */
  readonly decryptError?: string;
}

/**
 * Reads one answer to the customer's job. NIP-90: the answer to an encrypted job is encrypted to the customer, with
 * an `encrypted` tag; feedback may carry its status and amount tags inside the encrypted content as a JSON tag list
 * (nostrdvm does), so those are read from there too. The scheme is told apart by the payload (NIP-04 `?iv=`, NIP-44
 * version byte). Without a key, or for an answer that is not encrypted, the content is returned as it is.
 */
export function readJobAnswer(event: NostrEvent, key?: SecretKey): JobAnswer | undefined {
  const role = event.kind === KIND_FEEDBACK ? 'feedback' : isResultKind(event.kind) ? 'result' : undefined;
  if (!role) return undefined;
  const encrypted = event.tags.some((tag) => tag[0] === 'encrypted');
  let content = event.content;
  let tags: readonly (readonly string[])[] = event.tags;
  let decrypted: boolean | undefined;
  let decryptError: string | undefined;
  if (encrypted && content !== '') {
    const scheme = encryptionScheme(content);
    if (!key) {
      decrypted = false;
      decryptError = 'no key to decrypt it with';
    } else if (scheme === 'unknown') {
      decrypted = false;
      decryptError = 'the content is neither NIP-04 nor NIP-44';
    } else {
      try {
        content = key.decrypt(scheme, event.pubkey, content);
        decrypted = true;
        const inner = role === 'feedback' ? tagList(content) : undefined;
        if (inner) tags = [...event.tags, ...inner];
      } catch (error) {
        decrypted = false;
        decryptError = (error as Error).message;
      }
    }
  } else if (encrypted) {
    decrypted = true; // nothing was encrypted: an empty content reads the same either way
  }
  const status = tags.find((tag) => tag[0] === 'status');
  const amount = parseAmountTag(tags.find((tag) => tag[0] === 'amount'));
  return {
    id: event.id,
    kind: event.kind,
    role,
    pubkey: event.pubkey,
    createdAt: event.created_at,
    ...(status?.[1] !== undefined ? { status: status[1] } : {}),
    ...(status?.[2] ? { statusMessage: status[2] } : {}),
    ...(amount.msats !== undefined ? { amountMsats: amount.msats } : {}),
    ...(amount.bolt11 ? { bolt11: amount.bolt11 } : {}),
    content,
    encrypted,
    ...(decrypted !== undefined ? { decrypted } : {}),
    ...(decryptError ? { decryptError } : {}),
  };
}

/** A JSON array of string arrays, or undefined. */
function tagList(text: string): string[][] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) && parsed.every((tag) => Array.isArray(tag) && tag.every((item) => typeof item === 'string')) ? parsed as string[][] : undefined;
  } catch {
    return undefined;
  }
}
