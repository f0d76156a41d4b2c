/**
 * NIP-01 relay-to-client messages, checked before nostr-tools sees them. nostr-tools parses a frame inside a
 * try/catch and, on anything odd, writes the raw frame and a stack trace to the console (stderr, whatever the log
 * level) and drops it uncounted. Here a frame that is not one of these shapes is a *bad frame*: counted per relay,
 * sampled into the debug log, and never handed on. Event contents are checked later, by ingest.
 */

export type RelayMessageType = 'EVENT' | 'EOSE' | 'CLOSED' | 'OK' | 'NOTICE' | 'AUTH' | 'COUNT';

export type FrameVerdict = { readonly ok: true; readonly type: RelayMessageType } | { readonly ok: false; readonly reason: string };

/** Longer frames are refused unparsed: ingest drops events over 64 KiB anyway, and parsing one costs its size. */
export const MAX_FRAME_LENGTH = 1024 * 1024;

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
const optional = (check: (value: unknown) => boolean) => (value: unknown) => value === undefined || check(value);

/** Per type: the checks of the items after the type (NIP-01; COUNT: NIP-45; AUTH: NIP-42). */
const SHAPES: Readonly<Record<RelayMessageType, readonly ((value: unknown) => boolean)[]>> = {
  EVENT: [isString, isObject],
  EOSE: [isString],
  CLOSED: [isString, optional(isString)],
  OK: [isString, (value) => typeof value === 'boolean', optional(isString)],
  NOTICE: [isString],
  AUTH: [isString],
  COUNT: [isString, isObject],
};

export function checkRelayFrame(data: unknown): FrameVerdict {
  if (!isString(data)) return bad('a binary frame');
  if (data.length > MAX_FRAME_LENGTH) return bad(`a frame of ${data.length} characters, over the ${MAX_FRAME_LENGTH} limit`);
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return bad('not JSON');
  }
  if (!Array.isArray(message) || !isString(message[0])) return bad('not a NIP-01 message (a JSON array that starts with its type)');
  const type = message[0];
  const shape = SHAPES[type as RelayMessageType] as (typeof SHAPES)[RelayMessageType] | undefined;
  // The type is the relay's text: named only when it looks like a message type.
  if (!shape) return bad(/^[A-Z][A-Z_-]{0,15}$/.test(type) ? `an unknown message type ${type}` : 'an unknown message type');
  if (!shape.every((check, i) => check(message[i + 1]))) return bad(`a malformed ${type} message`);
  return { ok: true, type: type as RelayMessageType };
}

function bad(reason: string): FrameVerdict {
  return { ok: false, reason };
}
