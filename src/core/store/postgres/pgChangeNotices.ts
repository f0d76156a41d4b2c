import type { ChangeSet } from '../../nostr/jobAssembler';
import type { RemoteChange } from '../remoteChange';

/**
 * The NOTIFY side of the team store's live feed (issue 14): after a write commits, the writer names what it touched
 * on a channel, and every editor LISTENing on the same database (pgChangeFeed.ts) refreshes those views. Notices are
 * per database, so two stores on one server never hear each other.
 *
 * Payload: `{"from": <the writer's application_name>, "change": {…}}`. `from` lets a process skip its own notices (it
 * already knows what it wrote); PostgreSQL fills it in, so the writing code needs no handle on who it is.
 */
export const NOSTR_CHANNEL = 'swarmscope_nostr';
export const BITTENSOR_CHANNEL = 'swarmscope_bittensor';
/** Pins added or removed (what the team's editors watch); the notice names nothing, the readers list the pins again. */
export const PINS_CHANNEL = 'swarmscope_pins';

/** Every channel a listener hears. */
export const CHANGE_CHANNELS: readonly string[] = [NOSTR_CHANNEL, BITTENSOR_CHANNEL, PINS_CHANNEL];

/**
 * PostgreSQL refuses a payload of 8000 bytes or more; the envelope and an application_name (at most 63 bytes) take
 * the rest. A change set too large is sent field by field as 'all' ("refresh everything"), jobs first.
 */
const MAX_CHANGE_BYTES = 7_800;

const NOTIFY = `SELECT pg_notify($1, json_build_object('from', current_setting('application_name'), 'change', $2::json)::text)`;

/** What NOTIFY needs: a pool, or the transaction's client (then the notice is delivered at COMMIT, and only if it commits). */
interface Notifier {
  query(text: string, values: unknown[]): Promise<unknown>;
}

/** Announces a Nostr ingest's ChangeSet; nothing when it touched nothing. */
export async function notifyNostrChange(db: Notifier, changes: ChangeSet): Promise<void> {
  if (changes.dvms.size === 0 && changes.kinds.size === 0 && changes.jobs.size === 0) return;
  const body: Record<'dvms' | 'kinds' | 'jobs', unknown> = { dvms: [...changes.dvms], kinds: [...changes.kinds], jobs: [...changes.jobs] };
  for (const field of ['jobs', 'dvms', 'kinds'] as const) {
    if (Buffer.byteLength(JSON.stringify(body)) <= MAX_CHANGE_BYTES) break;
    body[field] = 'all';
  }
  await db.query(NOTIFY, [NOSTR_CHANNEL, JSON.stringify(body)]);
}

/** Announces new snapshots of these subnets. */
export async function notifyBittensorChange(db: Notifier, netuids: readonly number[]): Promise<void> {
  if (netuids.length === 0) return;
  await db.query(NOTIFY, [BITTENSOR_CHANNEL, JSON.stringify({ netuids: [...new Set(netuids)] })]);
}

/** Announces that the pins changed; send it on the pin write's own transaction, so it comes only if that commits. */
export async function notifyPinsChange(db: Notifier): Promise<void> {
  await db.query(NOTIFY, [PINS_CHANNEL, '{}']);
}

/**
 * Reads a notice: the writer's name and its change, or undefined for one that is not ours to read (another program
 * on the channel, or a newer Swarmscope's shape). Any process that can log in may NOTIFY, so every field is checked.
 */
export function readChangeNotice(channel: string, payload: string | undefined): { from: string; change: RemoteChange } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload ?? '');
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.from !== 'string' || !isRecord(parsed.change)) return undefined;
  const { from, change } = parsed;
  if (channel === NOSTR_CHANNEL) {
    const dvms = listOrAll(change.dvms, isHex64);
    const kinds = listOrAll(change.kinds, isInteger);
    const jobs = listOrAll(change.jobs, isHex64);
    if (!dvms || !kinds || !jobs) return undefined;
    return { from, change: { domain: 'nostr', dvms, kinds, jobs } };
  }
  if (channel === BITTENSOR_CHANNEL) {
    const netuids = listOrAll(change.netuids, isInteger);
    return netuids ? { from, change: { domain: 'bittensor', netuids } } : undefined;
  }
  if (channel === PINS_CHANNEL) return { from, change: { domain: 'pins' } };
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

function isHex64(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

function listOrAll<T>(value: unknown, item: (entry: unknown) => entry is T): readonly T[] | 'all' | undefined {
  if (value === 'all') return 'all';
  return Array.isArray(value) && value.every(item) ? value : undefined;
}
