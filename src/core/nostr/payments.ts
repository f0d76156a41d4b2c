import { decodeBolt11 } from './bolt11Details';

/**
 * Amounts of NIP-90 payment-required feedback: ["amount", "<msats>", "<optional bolt11>"]. When a bolt11 is there
 * its amount wins (it is what the customer would actually pay); a disagreeing `amount` tag is flagged.
 */
export interface ParsedAmount {
  /** The amount asked, in millisats, or undefined if neither the tag nor the invoice gives one. */
  readonly msats: number | undefined;
  readonly tagMsats: number | undefined;
  readonly bolt11Msats: number | undefined;
  readonly bolt11: string | undefined;
  /** Both the tag and the invoice give an amount and they differ. */
  readonly mismatch: boolean;
  /** Why a present value could not be used, for the trace view. */
  readonly problem: string | undefined;
}

/**
 * Parses the `amount` tag's value as millisats. Digit groups separated by `_` ("100_000") are read as one number,
 * the way most programming languages read such literals: DVMs written in Python emit them by accident, and the
 * intended amount is unambiguous. Anything else that is not a plain non-negative integer is rejected.
 */
export function parseMsats(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d+(_\d+)*$/.test(trimmed)) return undefined;
  const parsed = Number(trimmed.replace(/_/g, ''));
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** The amount of a BOLT11 invoice in millisats (light-bolt11-decoder), or undefined if it has none or is not one. */
export function bolt11Msats(invoice: string): number | undefined {
  return decodeBolt11(invoice)?.amountMsats;
}

export function looksLikeBolt11(value: string | undefined): value is string {
  return typeof value === 'string' && /^ln(bc|tb|bcrt|sb|tbs)/i.test(value.trim());
}

export function parseAmountTag(tag: readonly string[] | undefined): ParsedAmount {
  if (!tag) return { msats: undefined, tagMsats: undefined, bolt11Msats: undefined, bolt11: undefined, mismatch: false, problem: undefined };
  const tagMsats = parseMsats(tag[1]);
  const bolt11 = looksLikeBolt11(tag[2]) ? tag[2].trim() : undefined;
  const invoiceMsats = bolt11 ? bolt11Msats(bolt11) : undefined;
  const problems: string[] = [];
  if (tag[1] !== undefined && tagMsats === undefined) problems.push(`amount ${JSON.stringify(tag[1].slice(0, 40))} is not a number of millisats`);
  if (bolt11 && invoiceMsats === undefined) problems.push('the bolt11 invoice could not be decoded or has no amount');
  return {
    msats: invoiceMsats ?? tagMsats,
    tagMsats,
    bolt11Msats: invoiceMsats,
    bolt11,
    mismatch: tagMsats !== undefined && invoiceMsats !== undefined && tagMsats !== invoiceMsats,
    problem: problems.length > 0 ? problems.join('; ') : undefined,
  };
}

export function msatsToSats(msats: number): number {
  return Math.floor(msats / 1000);
}
