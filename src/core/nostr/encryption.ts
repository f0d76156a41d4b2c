/** How an encrypted NIP-90 request (one with an `encrypted` tag) was encrypted. */
export type EncryptionScheme = 'nip04' | 'nip44' | 'unknown';

/**
 * NIP-04 payloads are `base64(ciphertext)?iv=base64(iv)`; NIP-44 payloads are base64 whose first decoded byte is
 * the version, 2 for NIP-44 v2. Only the first bytes are decoded: the content can be large and is untrusted.
 */
export function encryptionScheme(content: string): EncryptionScheme {
  if (content.includes('?iv=')) return 'nip04';
  const head = content.slice(0, 4);
  if (/^[A-Za-z0-9+/]{4}$/.test(head) && Buffer.from(head, 'base64')[0] === 2) return 'nip44';
  return 'unknown';
}
