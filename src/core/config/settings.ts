/**
 * Swarmscope's settings as the engine sees them, with the public defaults, and one validator shared by the
 * extension (values from `swarmscope.*`) and the CLI (flags). A bad value is named in its error and replaced by
 * its default, so that one typo never stops the rest of the product.
 */
export interface Settings {
  readonly relays: readonly string[];
  readonly excludedKinds: readonly number[];
  readonly subtensorEndpoint: string;
  readonly archiveEndpoint: string | undefined;
  readonly trackedSubnets: readonly number[];
  readonly snapshotIntervalBlocks: number;
  readonly rawWindowHours: number;
  readonly historyDays: number;
  readonly sizeBudgetMB: number;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  // Relays where DVM traffic is seen; DVMDash listens to a similar set.
  relays: Object.freeze([
    'wss://relay.damus.io',
    'wss://relay.primal.net',
    'wss://nos.lol',
    'wss://relay.nostr.band',
    'wss://relayable.org',
  ]),
  // Polls (5666/6666, 5969/6969) and nsite manifests (5128) share the 5xxx range but are not DVM jobs.
  excludedKinds: Object.freeze([5666, 6666, 5969, 6969, 5128]),
  subtensorEndpoint: 'wss://entrypoint-finney.opentensor.ai:443',
  archiveEndpoint: undefined,
  trackedSubnets: Object.freeze([1]),
  snapshotIntervalBlocks: 100,
  rawWindowHours: 48,
  historyDays: 90,
  sizeBudgetMB: 256,
});

/** The setting keys as a user writes them in settings.json, for error messages. */
export const SETTING_KEYS: Record<keyof Settings, string> = {
  relays: 'swarmscope.nostr.relays',
  excludedKinds: 'swarmscope.nostr.excludedKinds',
  subtensorEndpoint: 'swarmscope.bittensor.endpoint',
  archiveEndpoint: 'swarmscope.bittensor.archiveEndpoint',
  trackedSubnets: 'swarmscope.bittensor.trackedSubnets',
  snapshotIntervalBlocks: 'swarmscope.bittensor.snapshotIntervalBlocks',
  rawWindowHours: 'swarmscope.storage.rawWindowHours',
  historyDays: 'swarmscope.storage.historyDays',
  sizeBudgetMB: 'swarmscope.storage.sizeBudgetMB',
};

export interface SettingError {
  readonly key: string;
  readonly message: string;
}

export interface ValidatedSettings {
  readonly settings: Settings;
  readonly errors: readonly SettingError[];
}

export type RawSettings = { readonly [K in keyof Settings]?: unknown };

export function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export function validateSettings(raw: RawSettings): ValidatedSettings {
  const errors: SettingError[] = [];
  const fail = (field: keyof Settings, message: string) => errors.push({ key: SETTING_KEYS[field], message });

  const relays = validateList(raw.relays, DEFAULT_SETTINGS.relays, (item) => typeof item === 'string' && isWebSocketUrl(item),
    (bad) => fail('relays', `${JSON.stringify(bad)} is not a ws:// or wss:// URL; it is ignored`)) as string[];

  const excludedKinds = validateList(raw.excludedKinds, DEFAULT_SETTINGS.excludedKinds, isKind,
    (bad) => fail('excludedKinds', `${JSON.stringify(bad)} is not an event kind (an integer 0–65535); it is ignored`)) as number[];

  const subtensorEndpoint = validateEndpoint(raw.subtensorEndpoint, DEFAULT_SETTINGS.subtensorEndpoint, false,
    (bad) => fail('subtensorEndpoint', `${JSON.stringify(bad)} is not a ws:// or wss:// URL; using ${DEFAULT_SETTINGS.subtensorEndpoint}`));

  const archiveEndpoint = validateEndpoint(raw.archiveEndpoint, undefined, true,
    (bad) => fail('archiveEndpoint', `${JSON.stringify(bad)} is not a ws:// or wss:// URL; backfill is off`));

  const trackedSubnets = validateList(raw.trackedSubnets, DEFAULT_SETTINGS.trackedSubnets,
    (item) => Number.isInteger(item) && (item as number) >= 0 && (item as number) <= 65535,
    (bad) => fail('trackedSubnets', `${JSON.stringify(bad)} is not a netuid (an integer 0–65535); it is ignored`)) as number[];

  const positive = (field: 'snapshotIntervalBlocks' | 'rawWindowHours' | 'historyDays' | 'sizeBudgetMB', min: number, integer: boolean) => {
    const value = raw[field];
    const fallback = DEFAULT_SETTINGS[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      fail(field, `${JSON.stringify(value)} must be ${integer ? 'an integer' : 'a number'} of at least ${min}; using ${fallback}`);
      return fallback;
    }
    return value;
  };

  return {
    settings: {
      relays,
      excludedKinds,
      subtensorEndpoint,
      archiveEndpoint,
      trackedSubnets,
      snapshotIntervalBlocks: positive('snapshotIntervalBlocks', 1, true),
      rawWindowHours: positive('rawWindowHours', 1, false),
      historyDays: positive('historyDays', 1, false),
      sizeBudgetMB: positive('sizeBudgetMB', 8, false),
    },
    errors,
  };
}

function isKind(item: unknown): boolean {
  return Number.isInteger(item) && (item as number) >= 0 && (item as number) <= 65535;
}

function validateList(value: unknown, fallback: readonly unknown[], ok: (item: unknown) => boolean, onBad: (item: unknown) => void): unknown[] {
  if (value === undefined || value === null) return [...fallback];
  if (!Array.isArray(value)) {
    onBad(value);
    return [...fallback];
  }
  const kept: unknown[] = [];
  for (const item of value) {
    if (ok(item)) {
      if (!kept.includes(item)) kept.push(item);
    } else onBad(item);
  }
  return kept;
}

function validateEndpoint<T extends string | undefined>(value: unknown, fallback: T, emptyMeansNone: boolean, onBad: (item: unknown) => void): string | T {
  if (value === undefined || value === null) return fallback;
  if (emptyMeansNone && value === '') return fallback;
  if (typeof value === 'string' && isWebSocketUrl(value)) return value;
  onBad(value);
  return fallback;
}
