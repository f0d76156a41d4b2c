import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { buildJobRequest } from './dvmSimulator';
import { buildZapReceipt } from './zapReceipt';

export interface PastJobTrafficOptions {
  /** The newest job is dated just before this (unix seconds). */
  readonly now: number;
  /** Jobs spread evenly over this many days before `now`. */
  readonly days: number;
  readonly jobs: number;
  /** Job start times for which no job is made (e.g. a band around a window's edge a test must not straddle). */
  readonly skip?: (at: number) => boolean;
  readonly customers?: number;
  readonly dvms?: number;
  /** Also the customers' payments and cancellations: see `pastJobTraffic`. */
  readonly proofs?: boolean;
}

/**
 * Signed NIP-90 traffic dated in the past, as a relay that has been up for weeks holds it: per job a 5050 request,
 * the DVM's 7000 payment-required (21 sats, `amount` tag) 5 s later, then a 6050 result 30 s after the request, or
 * every fifth job a 7000 error instead. With `proofs`, every third job's payment-required is paid (a zap receipt 20 s
 * after the request, by a wallet server's key) and every seventh request is deleted by its customer 40 s after it.
 * Real signatures (nostr-tools), so the engine verifies them as it would any.
 */
export function pastJobTraffic(options: PastJobTrafficOptions): NostrEvent[] {
  const customers = Array.from({ length: options.customers ?? 5 }, () => generateSecretKey());
  const dvms = Array.from({ length: options.dvms ?? 2 }, () => generateSecretKey());
  const step = (options.days * 86_400) / options.jobs;
  const zapper = generateSecretKey();
  const events: NostrEvent[] = [];
  for (let i = 0; i < options.jobs; i++) {
    const at = Math.floor(options.now - 120 - i * step);
    if (options.skip?.(at)) continue;
    const customer = customers[i % customers.length];
    const dvm = dvms[i % dvms.length];
    const request = buildJobRequest({ secretKey: customer, input: `job ${i}`, createdAt: at, dvmPubkey: getPublicKey(dvm) });
    const answer = (kind: number, offset: number, tags: string[][], content = '') =>
      finalizeEvent({ kind, created_at: at + offset, tags: [['e', request.id], ['p', request.pubkey], ...tags], content }, dvm);
    const paymentRequired = answer(7000, 5, [['status', 'payment-required'], ['amount', '21000']]);
    events.push(plain(request), plain(paymentRequired));
    if (options.proofs && i % 3 === 0) {
      events.push(plain(buildZapReceipt({ senderKey: customer, recipient: getPublicKey(dvm), eventId: paymentRequired.id, amountMsats: 21000, relayUrl: 'wss://relay.example', zapperKey: zapper, createdAt: at + 20 })));
    }
    if (options.proofs && i % 7 === 3) {
      events.push(plain(finalizeEvent({ kind: 5, created_at: at + 40, tags: [['e', request.id]], content: 'cancelled' }, customer)));
    }
    if (i % 5 === 4) events.push(plain(answer(7000, 30, [['status', 'error', 'could not do it']])));
    else events.push(plain(answer(6050, 30, [['request', JSON.stringify(request)]], `echo: job ${i}`)));
  }
  return events;
}

/** A plain copy: nostr-tools marks what it signed as verified, and the engine must check it itself. */
function plain(event: object): NostrEvent {
  return JSON.parse(JSON.stringify(event)) as NostrEvent;
}
