import { singleLine } from '../util/untrustedText';

/** Longest part of a relay's own words (close reason) or of a library's message kept in a status line. */
const MAX_TEXT = 160;

const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** OpenSSL and Node name TLS failures with these codes (certificate checks, handshake, protocol). */
const TLS_CODE = /^(EPROTO|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/**
 * Why a relay's WebSocket failed, from the error `ws` emitted: the network error code (ECONNREFUSED, …), a TLS
 * failure, or the HTTP status a server answered instead of upgrading. Undefined for the error `ws` raises when
 * its own side closes a socket that is still connecting (a connect timeout): the caller knows better.
 */
export function describeSocketFailure(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? shortened(message) : '';
  if (text.startsWith('WebSocket was closed before the connection was established')) return undefined;
  const status = /^Unexpected server response: (\d{3})/.exec(text);
  if (status) return `HTTP ${status[1]} instead of a WebSocket upgrade (is this a Nostr relay URL?)`;
  if (typeof code === 'string') {
    if (NETWORK_CODES[code]) return `${NETWORK_CODES[code]} (${text || code})`;
    if (TLS_CODE.test(code)) return `TLS failed: ${code}${text ? ` (${text})` : ''}`;
    return `${code}${text ? `: ${text}` : ''}`;
  }
  return text || 'the WebSocket failed';
}

/** An ended connection by its close code (RFC 6455 §7.4); 1006 means no close frame came (the link dropped). */
export function describeSocketClose(code: number, reason: string): string {
  if (code === 1006) return 'the connection dropped (code 1006: no close frame)';
  const words = shortened(reason);
  return `the relay closed the connection (code ${code}${words ? `: ${words}` : ''})`;
}

function shortened(text: string): string {
  const line = singleLine(text.slice(0, MAX_TEXT * 4));
  return line.length > MAX_TEXT ? `${line.slice(0, MAX_TEXT)}…` : line;
}
