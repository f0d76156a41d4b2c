import { checkPgUrl } from '../store/postgres/pgUrl';

/**
 * Swarmscope's settings as the engine sees them, with the public defaults, and one validator shared by the
 * extension (values from `swarmscope.*`) and the CLI (flags). A bad value is named in its error and replaced by
 * its default, so that one typo never stops the rest of the product — except a chain endpoint: swapping the
 * user's node for the public one would send their traffic where they did not choose, so a bad endpoint is
 * refused (null) and the chain stays stopped until it is fixed (chainEndpointRefusal).
 */
export interface Settings {
  readonly relays: readonly string[];
  readonly excludedKinds: readonly number[];
  /** null: the user's value is not a ws:// or wss:// URL (see chainEndpointRefusal). */
  readonly subtensorEndpoint: string | null;
  /** undefined: none set (past blocks come from the main endpoint); null: the user's value was refused. */
  readonly archiveEndpoint: string | null | undefined;
  readonly trackedSubnets: readonly number[];
  readonly snapshotIntervalBlocks: number;
  readonly rawWindowHours: number;
  readonly historyDays: number;
  readonly sizeBudgetMB: number;
  /** Days of relay history the backfill fetches into the rollups (issue 12); 0: none. At most historyDays is kept. */
  readonly backfillDays: number;
}

/** The public finney node: the default when the user set no endpoint, never a stand-in for a bad one. */
const PUBLIC_SUBTENSOR_ENDPOINT = 'wss://entrypoint-finney.opentensor.ai:443';

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
  subtensorEndpoint: PUBLIC_SUBTENSOR_ENDPOINT,
  archiveEndpoint: undefined,
  trackedSubnets: Object.freeze([1]),
  snapshotIntervalBlocks: 100,
  rawWindowHours: 48,
  historyDays: 90,
  sizeBudgetMB: 256,
  backfillDays: 30,
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
  backfillDays: 'swarmscope.nostr.backfillDays',
};

type NumberField = 'snapshotIntervalBlocks' | 'rawWindowHours' | 'historyDays' | 'sizeBudgetMB' | 'backfillDays';

/** The range of a number the user sets (inclusive), and whether it must be whole. */
export interface NumberBounds {
  readonly minimum: number;
  readonly maximum: number;
  readonly integer: boolean;
}

/**
 * Each numeric setting's range, which package.json repeats as `minimum` / `maximum` so that the settings editor marks
 * a bad value as it is typed (a unit test keeps the two equal). The maxima keep sql.js, which holds the whole
 * database in memory, within reach: a month of raw data, ten years of rollups, 4 GB (WebAssembly's address space).
 */
export const NUMBER_BOUNDS: Readonly<Record<NumberField, NumberBounds>> = {
  // Up to a day of blocks; a snapshot is also taken at least once per tempo.
  snapshotIntervalBlocks: { minimum: 1, maximum: 7_200, integer: true },
  rawWindowHours: { minimum: 1, maximum: 720, integer: false },
  historyDays: { minimum: 1, maximum: 3_650, integer: false },
  sizeBudgetMB: { minimum: 8, maximum: 4_096, integer: false },
  backfillDays: { minimum: 0, maximum: 3_650, integer: false },
};

/** Event kinds (NIP-01: 0–65535) and netuids (a u16 on chain) in list settings. */
export const LIST_ITEM_BOUNDS: Readonly<Record<'excludedKinds' | 'trackedSubnets', NumberBounds>> = {
  excludedKinds: { minimum: 0, maximum: 65_535, integer: true },
  trackedSubnets: { minimum: 0, maximum: 65_535, integer: true },
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

/**
 * The shape of a ws:// or wss:// URL as the user must write it; package.json gives the URL settings this same
 * `pattern`, so the settings editor flags what the engine refuses. It is checked on the text itself because the
 * URL parser repairs what it can ("wss:///host", " wss://host"), and the text is what gets dialled.
 */
export const WEBSOCKET_URL_PATTERN = '^[Ww][Ss][Ss]?://[^\\s/?#]+([/?#]\\S*)?$';
const WEBSOCKET_URL = new RegExp(WEBSOCKET_URL_PATTERN, 'u');

export function isWebSocketUrl(value: string): boolean {
  if (!WEBSOCKET_URL.test(value)) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}

/** The team store's setting (issue 14): read by the host before the engine starts, so not one of the engine's Settings. */
export const STORAGE_URL_KEY = 'swarmscope.storage.url';

/**
 * `swarmscope.storage.url`: empty or unset keeps the embedded sql.js file; otherwise a postgres:// URL without a
 * password. A bad one is a setting error naming the key, and is not replaced by the local file: the views would
 * show one editor's data as the team's.
 */
export function validateStorageUrl(value: unknown): { readonly url: string | undefined; readonly error?: SettingError } {
  if (value === undefined || value === null || value === '') return { url: undefined };
  if (typeof value !== 'string') return { url: undefined, error: { key: STORAGE_URL_KEY, message: `${JSON.stringify(value)} is not a URL` } };
  try {
    checkPgUrl(value.trim(), STORAGE_URL_KEY);
  } catch (error) {
    return { url: value.trim(), error: { key: STORAGE_URL_KEY, message: error instanceof Error ? error.message : String(error) } };
  }
  return { url: value.trim() };
}

export function validateSettings(raw: RawSettings): ValidatedSettings {
  const errors: SettingError[] = [];
  const fail = (field: keyof Settings, message: string) => errors.push({ key: SETTING_KEYS[field], message });

  const relays = validateList(raw.relays, DEFAULT_SETTINGS.relays, (item) => typeof item === 'string' && isWebSocketUrl(item),
    (bad) => fail('relays', `${JSON.stringify(bad)} is not a ws:// or wss:// URL; it is ignored`)) as string[];

  const excludedKinds = validateList(raw.excludedKinds, DEFAULT_SETTINGS.excludedKinds, (item) => withinBounds(item, LIST_ITEM_BOUNDS.excludedKinds),
    (bad) => fail('excludedKinds', `${JSON.stringify(bad)} is not an event kind (an integer 0–65535); it is ignored`)) as number[];

  const refusedEndpoint = (field: 'subtensorEndpoint' | 'archiveEndpoint') => (bad: unknown) =>
    fail(field, `${JSON.stringify(bad)} is not a ws:// or wss:// URL; the chain collector is stopped until it is fixed (no other endpoint is used instead)`);
  const subtensorEndpoint = validateEndpoint(raw.subtensorEndpoint, PUBLIC_SUBTENSOR_ENDPOINT, false, refusedEndpoint('subtensorEndpoint'));
  const archiveEndpoint = validateEndpoint(raw.archiveEndpoint, undefined, true, refusedEndpoint('archiveEndpoint'));

  const trackedSubnets = validateList(raw.trackedSubnets, DEFAULT_SETTINGS.trackedSubnets,
    (item) => withinBounds(item, LIST_ITEM_BOUNDS.trackedSubnets),
    (bad) => fail('trackedSubnets', `${JSON.stringify(bad)} is not a netuid (an integer 0–65535); it is ignored`)) as number[];

  const bounded = (field: NumberField) => {
    const value = raw[field];
    const fallback = DEFAULT_SETTINGS[field];
    if (value === undefined || value === null) return fallback;
    const { minimum, maximum, integer } = NUMBER_BOUNDS[field];
    if (!withinBounds(value, NUMBER_BOUNDS[field])) {
      fail(field, `${JSON.stringify(value)} must be ${integer ? 'an integer' : 'a number'} from ${minimum} to ${maximum}; using ${fallback}`);
      return fallback;
    }
    return value as number;
  };

  return {
    settings: {
      relays,
      excludedKinds,
      subtensorEndpoint,
      archiveEndpoint,
      trackedSubnets,
      snapshotIntervalBlocks: bounded('snapshotIntervalBlocks'),
      rawWindowHours: bounded('rawWindowHours'),
      historyDays: bounded('historyDays'),
      sizeBudgetMB: bounded('sizeBudgetMB'),
      backfillDays: bounded('backfillDays'),
    },
    errors,
  };
}

function withinBounds(value: unknown, { minimum, maximum, integer }: NumberBounds): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= minimum && value <= maximum && (!integer || Number.isInteger(value));
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

/**
 * Why the chain must not be read with these settings — a chain endpoint the user gave was refused, naming its
 * setting — or undefined when both endpoints are usable.
 */
export function chainEndpointRefusal(settings: Settings): string | undefined {
  const keys: string[] = [];
  if (settings.subtensorEndpoint === null) keys.push(SETTING_KEYS.subtensorEndpoint);
  if (settings.archiveEndpoint === null) keys.push(SETTING_KEYS.archiveEndpoint);
  if (keys.length === 0) return undefined;
  const what = keys.length === 1 ? `${keys[0]} is not a ws:// or wss:// URL` : `${keys.join(' and ')} are not ws:// or wss:// URLs`;
  return `${what} (no other endpoint is used in its place)`;
}

/** Unset takes the default; a value the user gave is used as it is or refused (null), never replaced. */
function validateEndpoint<T extends string | undefined>(value: unknown, fallback: T, emptyMeansNone: boolean, onBad: (item: unknown) => void): string | T | null {
  if (value === undefined || value === null) return fallback;
  if (emptyMeansNone && value === '') return fallback;
  if (typeof value === 'string' && isWebSocketUrl(value)) return value;
  onBad(value);
  return null;
}
