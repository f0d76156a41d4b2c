import type { Bolt11Details, NostrEvent } from '../../src/protocol/nostrProtocol';
import { clock, satsText } from './traceFormat';

/** A tag as the details pane's table shows it: its name, then its values. */
export interface TagRow {
  readonly name: string;
  readonly values: readonly string[];
}

export function tagRows(event: Pick<NostrEvent, 'tags'>): TagRow[] {
  return event.tags.map((tag) => ({ name: String(tag[0] ?? ''), values: tag.slice(1).map(String) }));
}

/**
 * NIP-90 results (and some feedback) carry the job request they answer, stringified, in a `request` tag: decoded
 * and pretty-printed it shows what the DVM says it was asked. Untrusted either way: the caller shows it as text.
 */
export type DecodedRequest =
  | { readonly ok: true; readonly pretty: string }
  | { readonly ok: false; readonly raw: string; readonly problem: string };

export function decodeRequestTag(event: Pick<NostrEvent, 'tags'>): DecodedRequest | undefined {
  const raw = event.tags.find((tag) => tag[0] === 'request')?.[1];
  if (raw === undefined) return undefined;
  try {
    return { ok: true, pretty: JSON.stringify(JSON.parse(raw) as unknown, null, 2) };
  } catch (error) {
    return { ok: false, raw, problem: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The signed event, pretty-printed: the five NIP-01 fields and the signature, in NIP-01 order. */
export function prettyEvent(event: NostrEvent): string {
  const { id, pubkey, created_at, kind, tags, content, sig } = event;
  return JSON.stringify({ id, pubkey, created_at, kind, tags, content, sig }, null, 2);
}

/** A decoded BOLT11 invoice as label / value lines (the description is untrusted: shown as text). */
export function bolt11Rows(bolt11: Bolt11Details): [string, string][] {
  const rows: [string, string][] = [];
  if (bolt11.amountSats !== undefined) rows.push(['Amount', `${satsText(bolt11.amountSats)} sats${bolt11.amountMsats !== undefined && bolt11.amountMsats % 1000 !== 0 ? ` (${bolt11.amountMsats} msats)` : ''}`]);
  else rows.push(['Amount', 'none in the invoice (any amount)']);
  if (bolt11.createdAt !== undefined) rows.push(['Created', clock(bolt11.createdAt)]);
  if (bolt11.expirySec !== undefined) rows.push(['Expiry', `${bolt11.expirySec} s`]);
  if (bolt11.expiresAt !== undefined) rows.push(['Expires', clock(bolt11.expiresAt)]);
  if (bolt11.description !== undefined) rows.push(['Description', bolt11.description]);
  if (bolt11.paymentHash !== undefined) rows.push(['Payment hash', bolt11.paymentHash]);
  rows.push(['Invoice', bolt11.invoice]);
  return rows;
}
