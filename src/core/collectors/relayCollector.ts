import type { CollectorStatus } from './collectorStatus';
import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import { RelayConnection, type RelayStats } from './relayConnection';
import { RelayPeople } from './relayPeople';
import { DEFAULT_RELAY_TUNING, type RelayCollectorOptions, type RelayCollectorTuning } from './relayTypes';

export type { RelayCursor, RelayCollectorOptions, RelayCollectorTuning } from './relayTypes';
export type { RelayStats } from './relayConnection';

/**
 * Collects NIP-90 job traffic (and what explains it: NIP-89 announcements, heartbeats, DVM profiles, deletions,
 * zap receipts) from a set of relays, one RelayConnection each. Events go out raw and unverified, batched per
 * relay; the engine verifies, classifies and stores them. See relayFilters.ts for what is asked and why.
 */
export class RelayCollector {
  private readonly connections = new Map<string, RelayConnection>();
  private readonly people: RelayPeople;
  private readonly tuning: Required<RelayCollectorTuning>;
  private readonly log: Logger;
  private relays: readonly string[];
  private started = false;
  private disposed = false;

  constructor(private readonly options: RelayCollectorOptions) {
    this.tuning = { ...DEFAULT_RELAY_TUNING, ...options.tuning };
    this.log = options.log;
    this.relays = [...new Set(options.relays)];
    this.people = new RelayPeople(this.tuning.peopleCapacity, (message) => this.log.log('warn', message));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const url of this.relays) this.open(url);
  }

  /** Opens relays that are new and closes those that are gone; the others keep their connection. */
  setRelays(relays: readonly string[]): void {
    const wanted = new Set(relays);
    this.relays = [...wanted];
    for (const [url, connection] of this.connections) {
      if (wanted.has(url)) continue;
      this.connections.delete(url);
      connection.dispose().catch((error) => this.log.log('warn', `closing relay ${url} failed: ${describeError(error)}`));
    }
    if (this.started) for (const url of wanted) if (!this.connections.has(url)) this.open(url);
    this.options.onStatusChange?.();
  }

  /** Lets the engine seed the pubkeys it already knows (after a restart) for profiles, deletions and zaps. */
  followPubkeys(sets: { dvms?: readonly string[]; users?: readonly string[] }): void {
    this.people.add(sets);
  }

  status(): CollectorStatus[] {
    const absent = this.disposed ? ('stopped' as const) : ('idle' as const);
    return this.relays.map((url) => this.connections.get(url)?.status() ?? { name: url, state: absent });
  }

  stats(): RelayStats[] {
    return [...this.connections.values()].map((connection) => connection.snapshot());
  }

  async dispose(): Promise<void> {
    this.started = false;
    this.disposed = true;
    const connections = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(connections.map((connection) => connection.dispose()));
  }

  private open(url: string): void {
    const connection = new RelayConnection({
      url,
      cursor: this.options.cursor,
      tuning: this.tuning,
      people: this.people,
      deliver: (events) => this.options.onEvents(url, events),
      log: this.log,
      onStatusChange: () => this.options.onStatusChange?.(),
      onDropped: (reason, count) => {
        if (this.options.onDropped) this.options.onDropped(reason, count);
        else this.log.log('warn', `relay ${url}: dropped ${count} event(s): ${reason}`);
      },
    });
    this.connections.set(url, connection);
    connection.start();
  }
}
