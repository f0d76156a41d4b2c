import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { makeBolt11Invoice } from './bolt11Invoice';

export interface ZapReceiptOptions {
  /** Who pays: signs the zap request (kind 9734). */
  readonly senderKey: Uint8Array;
  /** Who is paid (the DVM). */
  readonly recipient: string;
  /** The event zapped: a DVM's feedback or result, or the job request. */
  readonly eventId: string;
  readonly amountMsats: number;
  readonly relayUrl: string;
  /** The recipient's LNURL server key, which signs the receipt; a new one when absent. */
  readonly zapperKey?: Uint8Array;
  /** When it was paid (unix seconds); now when absent. */
  readonly createdAt?: number;
}

/**
 * A real NIP-57 zap receipt (kind 9735), as the recipient's lightning wallet server publishes one once the invoice
 * is paid: signed by the server's key, naming the zapped event (`e`) and recipient (`p`), with the paid invoice
 * (`bolt11`, a real decodable one from bolt11Invoice.ts) and the signed zap request (9734) as its `description`.
 */
export function buildZapReceipt(options: ZapReceiptOptions): Event {
  const now = options.createdAt ?? Math.floor(Date.now() / 1000);
  const request = finalizeEvent({
    kind: 9734,
    created_at: now,
    content: '',
    tags: [['relays', options.relayUrl], ['amount', String(options.amountMsats)], ['p', options.recipient], ['e', options.eventId]],
  }, options.senderKey);
  const { invoice } = makeBolt11Invoice({ amountMsats: options.amountMsats, description: JSON.stringify(request) });
  return finalizeEvent({
    kind: 9735,
    created_at: now,
    content: '',
    tags: [['p', options.recipient], ['e', options.eventId], ['P', getPublicKey(options.senderKey)], ['bolt11', invoice], ['description', JSON.stringify(request)]],
  }, options.zapperKey ?? generateSecretKey());
}
