import type { AnnouncedParam, DvmAnnouncement } from './jobTypes';
import { isWebSocketUrl } from '../config/settings';
import type { DvmProfile } from '../nostr/dvmNames';
import type { EncryptionSchemeName } from './secretKey';

const MAX_PARAMS = 50;
const MAX_VALUES = 100;
const MAX_RELAYS = 20;

/** The announcement from the profile rules' answer and the newest raw handler event's tags and content JSON (undefined: not kept). */
export function announcementOf(key: string, profile: DvmProfile, raw: { tags: string; content: string } | undefined): DvmAnnouncement | null {
  if (!profile.hasProfile && !raw && profile.name === undefined) return null;
  const tags = raw ? parseJson<unknown>(raw.tags) : undefined;
  const content = raw ? parseJson<unknown>(parseJson<string>(raw.content) ?? '') : undefined;
  const record = isRecord(content) ? content : {};
  const nip44 = record.nip44 === true || ['encryptionSupported', 'encryption', 'encryptionSchemes'].some((field) => namesNip44(record[field]));
  const encryptionSupported = profile.encryptionSupported === true || nip44;
  const schemes: EncryptionSchemeName[] = encryptionSupported ? (nip44 ? ['nip04', 'nip44'] : ['nip04']) : [];
  return {
    pubkey: key,
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    kinds: profile.announcedKinds,
    encryptionSupported,
    encryptionSchemes: schemes,
    params: announcedParams(profile.nip90Params),
    relays: announcedRelays(tags, record.relays),
  };
}

/** The scheme to encrypt a job to this DVM with: NIP-44 where it says it takes it, else NIP-04 (what NIP-90 names). */
export function preferredEncryption(announcement: DvmAnnouncement | null): EncryptionSchemeName {
  return announcement?.encryptionSchemes.includes('nip44') ? 'nip44' : 'nip04';
}

/** `nip90Params` (JSON text, as the profile keeps it): `{ "<name>": { required, values, description?, default? } }`. */
export function announcedParams(json: string | undefined): AnnouncedParam[] {
  const parsed = json === undefined ? undefined : parseJson<unknown>(json);
  if (!isRecord(parsed)) return [];
  return Object.entries(parsed).slice(0, MAX_PARAMS).map(([name, spec]) => {
    const fields = isRecord(spec) ? spec : {};
    const values = Array.isArray(fields.values) ? fields.values.filter((value): value is string => typeof value === 'string').slice(0, MAX_VALUES) : [];
    return {
      name,
      required: fields.required === true || fields.required === 'true',
      values,
      ...(typeof fields.description === 'string' ? { description: fields.description } : {}),
      ...(typeof fields.default === 'string' ? { default: fields.default } : {}),
    };
  });
}

function announcedRelays(tags: unknown, listed: unknown): string[] {
  const urls: string[] = [];
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      if (Array.isArray(tag) && (tag[0] === 'relays' || tag[0] === 'relay')) urls.push(...tag.slice(1).filter((url): url is string => typeof url === 'string'));
    }
  }
  if (Array.isArray(listed)) urls.push(...listed.filter((url): url is string => typeof url === 'string'));
  return [...new Set(urls.map((url) => url.trim()).filter(isWebSocketUrl))].slice(0, MAX_RELAYS);
}

function namesNip44(value: unknown): boolean {
  const names = Array.isArray(value) ? value : [value];
  return names.some((name) => typeof name === 'string' && /^nip-?44$/i.test(name.trim()));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
