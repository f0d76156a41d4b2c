import { npubEncode } from 'nostr-tools/nip19';
import { isRequestKind } from './nostrEvent';

export interface DvmProfile {
  readonly name?: string;
  readonly about?: string;
  readonly picture?: string;
  readonly lud16?: string;
  readonly encryptionSupported?: boolean;
  readonly cashuAccepted?: boolean;
  readonly nip90Params?: string;
  /** Job kinds announced in NIP-89 handler profiles. */
  readonly announcedKinds: readonly number[];
  /** A NIP-89 profile announcing a job kind exists (kind 0 alone does not count). */
  readonly hasProfile: boolean;
}

/** The profile's display fields that are set, for a DVM's summary and its page card (both leave an unset field out). */
export function profileDisplayFields(profile: DvmProfile): Pick<DvmProfile, 'name' | 'about' | 'picture' | 'lud16' | 'encryptionSupported' | 'cashuAccepted'> {
  return {
    ...(profile.name !== undefined ? { name: profile.name } : {}),
    ...(profile.about !== undefined ? { about: profile.about } : {}),
    ...(profile.picture !== undefined ? { picture: profile.picture } : {}),
    ...(profile.lud16 !== undefined ? { lud16: profile.lud16 } : {}),
    ...(profile.encryptionSupported !== undefined ? { encryptionSupported: profile.encryptionSupported } : {}),
    ...(profile.cashuAccepted !== undefined ? { cashuAccepted: profile.cashuAccepted } : {}),
  };
}

/** A nostr_profiles row as the profile rules read it (flags 0/1, kinds a JSON array). */
export type ProfileRow = {
  name: string | null; about: string | null; picture: string | null; lud16: string | null;
  encryption_supported: number | null; cashu_accepted: number | null; nip90_params: string | null; kinds: string;
};

export type MetadataRow = { name: string | null; about: string | null; picture: string | null; lud16: string | null };

/** The profile rules over a pubkey's handler rows (newest first) and its kind 0 row: each adapter reads, this decides. */
export function profileFromRows(handlers: readonly ProfileRow[], metadata: MetadataRow | undefined): DvmProfile {
  const pick = <K extends 'name' | 'about' | 'picture' | 'lud16'>(key: K) => handlers.find((row) => row[key] !== null)?.[key] ?? metadata?.[key] ?? undefined;
  const announced = new Set<number>();
  for (const row of handlers) for (const kind of parseKinds(row.kinds)) announced.add(kind);
  const flag = (key: 'encryption_supported' | 'cashu_accepted') => {
    const value = handlers.find((row) => row[key] !== null)?.[key];
    return value === undefined || value === null ? undefined : value === 1;
  };
  return {
    name: pick('name'),
    about: pick('about'),
    picture: pick('picture'),
    lud16: pick('lud16'),
    encryptionSupported: flag('encryption_supported'),
    cashuAccepted: flag('cashu_accepted'),
    nip90Params: handlers.find((row) => row.nip90_params !== null)?.nip90_params ?? undefined,
    announcedKinds: [...announced].sort((a, b) => a - b),
    hasProfile: announced.size > 0,
  };
}

/** announcedKindNames over named handler rows, newest first. */
export function kindNamesFromProfiles(rows: readonly { name: string; kinds: string }[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const row of rows) {
    for (const kind of parseKinds(row.kinds)) if (!names.has(kind)) names.set(kind, row.name);
  }
  return names;
}

export function parseKinds(json: string): number[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.filter((kind): kind is number => Number.isInteger(kind) && isRequestKind(kind)) : [];
  } catch {
    return [];
  }
}

export function npub(pubkey: string): string {
  try {
    return npubEncode(pubkey);
  } catch {
    return pubkey;
  }
}
