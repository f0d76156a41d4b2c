import { decode } from 'light-bolt11-decoder';
import type { Bolt11Details } from './traceTypes';

/** BOLT #11: an invoice without an `x` field expires an hour after its timestamp. */
const DEFAULT_EXPIRY_SEC = 3600;

/**
 * What the trace shows of an invoice (light-bolt11-decoder): amount, when it was made and expires, description,
 * payment hash. Undefined when the text is not a decodable invoice. The amount is kept only as a safe, non-negative
 * integer of millisats, like every amount Swarmscope stores; payments.ts reads invoice amounts through this.
 */
export function decodeBolt11(invoice: string): Bolt11Details | undefined {
  const known = decoded.get(invoice);
  if (known !== undefined || decoded.has(invoice)) return known;
  if (decoded.size >= CACHE_SIZE) decoded.clear();
  const details = decodeUncached(invoice);
  decoded.set(invoice, details);
  return details;
}

/**
 * Decoding checks the bech32 checksum over the whole invoice (~75 µs each): a trace of a 20-job chain holds about a
 * hundred invoices, read once by the classifier and once by the graph, and again on every live refresh.
 */
const CACHE_SIZE = 4_096;
const decoded = new Map<string, Bolt11Details | undefined>();

function decodeUncached(invoice: string): Bolt11Details | undefined {
  let sections: ReturnType<typeof decode>['sections'];
  try {
    sections = decode(invoice).sections;
  } catch {
    return undefined;
  }
  const value = (name: string): unknown => {
    const section = sections.find((candidate) => candidate.name === name);
    return section && 'value' in section ? section.value : undefined;
  };
  const msats = Number(value('amount') ?? NaN);
  const amountMsats = Number.isSafeInteger(msats) && msats >= 0 ? msats : undefined;
  const createdAt = numberOrUndefined(value('timestamp'));
  const expirySec = numberOrUndefined(value('expiry')) ?? DEFAULT_EXPIRY_SEC;
  const description = value('description');
  const paymentHash = value('payment_hash');
  return {
    invoice,
    ...(amountMsats !== undefined ? { amountMsats, amountSats: Math.floor(amountMsats / 1000) } : {}),
    ...(createdAt !== undefined ? { createdAt, expiresAt: createdAt + expirySec } : {}),
    expirySec,
    ...(typeof description === 'string' ? { description } : {}),
    ...(typeof paymentHash === 'string' ? { paymentHash } : {}),
  };
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
