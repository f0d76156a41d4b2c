import type { ContextVmTraffic as Counts } from './contextVmTypes';
import type { ContextVmMessage } from './contextVmEvents';

/** Pubkeys counted at most; past it new ones are not counted (a flood of made-up addressees cannot grow memory). */
const MAX_SERVERS = 10_000;
/** Message ids remembered to count a message once when several relays carry it. */
const RECENT_IDS = 50_000;

/**
 * Live counts of ContextVM / DVMCP messages (25910 / 26910) per server pubkey, in memory only: the messages are
 * ephemeral (relays keep none), so there is no history to store or backfill, and counting starts with the engine.
 */
export class ContextVmTraffic {
  private readonly counts = new Map<string, { requests: number; responses: number; lastAt: number }>();
  private readonly recent = new Set<string>();

  /** `since`: unix seconds the counting started. */
  constructor(readonly since: number) {}

  /** Counts a verified message once; false when it was counted already (another relay's copy). */
  count(message: ContextVmMessage): boolean {
    const { id, created_at: at } = message.event;
    if (this.recent.has(id)) return false;
    this.recent.add(id);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value as string);
    let entry = this.counts.get(message.server);
    if (!entry) {
      if (this.counts.size >= MAX_SERVERS) return true;
      entry = { requests: 0, responses: 0, lastAt: at };
      this.counts.set(message.server, entry);
    }
    if (message.direction === 'request') entry.requests++;
    else entry.responses++;
    entry.lastAt = Math.max(entry.lastAt, at);
    return true;
  }

  of(pubkey: string): Counts {
    const entry = this.counts.get(pubkey);
    return { requests: entry?.requests ?? 0, responses: entry?.responses ?? 0, since: this.since };
  }

  /** created_at of the newest message it sent or received, if any was counted. */
  lastAt(pubkey: string): number | undefined {
    return this.counts.get(pubkey)?.lastAt;
  }
}
