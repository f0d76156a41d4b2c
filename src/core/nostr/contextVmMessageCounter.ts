import type { ContextVmMessage } from './contextVmEvents';
import { ContextVmTraffic } from './contextVmTraffic';
import type { ChangeSet } from './jobAssembler';

/**
 * The store-free half of the ContextVM tracker, shared by the sql.js ingest (through contextVmTracker.ts) and the
 * PostgreSQL ingest: counts messages and says which servers' views redraw. The traffic is per process, live only (as
 * the README says): the messages are ephemeral, relays keep none, so neither store holds them and each process counts
 * what it ingested since it started; on a team store, another collector's traffic is not in this process's counts.
 */
export class ContextVmMessageCounter {
  readonly traffic: ContextVmTraffic;
  /** Pubkeys that announced a server: only their messages make the views redraw (made-up addressees do not). */
  private readonly announced = new Set<string>();

  /** `countingSince`: unix seconds the counting started. */
  constructor(countingSince: number) {
    this.traffic = new ContextVmTraffic(countingSince);
  }

  announce(pubkey: string): void {
    this.announced.add(pubkey);
  }

  knows(pubkey: string): boolean {
    return this.announced.has(pubkey);
  }

  /** Counts a verified message once; an announced server's pubkey goes into the batch's changed DVMs. */
  count(message: ContextVmMessage, changes: ChangeSet): void {
    if (this.traffic.count(message) && this.announced.has(message.server)) changes.dvms.add(message.server);
  }
}
