import { isWebSocketUrl } from '../config/settings';
import type { NostrEvent } from './nostrEvent';

/** A handler naming more relays than this is listing, not announcing: the first ones are kept. */
export const MAX_ANNOUNCED_RELAYS = 20;

/**
 * The relays a NIP-89 handler (31990) says its DVM listens on, read once at ingest and kept with the profile (the
 * raw event goes with the raw window). NIP-89 fixes no field for them; DVMs use `relays` / `relay` tags (every value
 * after the name, as NIP-90 requests do) and a `relays` array in the JSON content, the places the job poster reads
 * too (jobs/dvmAnnouncement.ts). Only ws:// and wss:// URLs are kept, as data (untrusted text, never connected to
 * from here), in order, without repeats.
 */
export function announcedRelays(event: NostrEvent): string[] {
  const found: unknown[] = [];
  for (const tag of event.tags) if (tag[0] === 'relays' || tag[0] === 'relay') found.push(...tag.slice(1));
  try {
    const content = JSON.parse(event.content) as { relays?: unknown } | null;
    if (typeof content === 'object' && content !== null && Array.isArray(content.relays)) found.push(...(content.relays as unknown[]));
  } catch {
    /* content that is not JSON names no relays */
  }
  const urls = found.filter((value): value is string => typeof value === 'string').map((url) => url.trim()).filter(isWebSocketUrl);
  return [...new Set(urls)].slice(0, MAX_ANNOUNCED_RELAYS);
}
