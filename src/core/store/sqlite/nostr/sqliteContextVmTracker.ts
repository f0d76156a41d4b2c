import type { ContextVmServer } from '../../../nostr/contextVmTypes';
import { isContextVmKind, parseContextVm } from '../../../nostr/contextVmEvents';
import { ContextVmMessageCounter } from '../../../nostr/contextVmMessageCounter';
import { ContextVmServerRepo } from './sqliteContextVmServerRepo';
import type { ContextVmTraffic } from '../../../nostr/contextVmTraffic';
import type { ChangeSet } from '../../../nostr/jobAssembler';
import type { NostrEvent } from '../../../nostr/nostrEvent';
import type { PreparedStatements } from './preparedStatements';
import { serversWithTraffic } from '../../../nostr/contextVmTracker';

/**
 * ContextVM / DVMCP servers beside the NIP-90 job model (DESIGN.md: listed apart from DVMs): announcements stored as
 * servers, messages counted live (contextVmMessageCounter.ts, per process). The ingest hands it every verified event of
 * those kinds.
 */
export class ContextVm {
  private readonly repo: ContextVmServerRepo;
  private readonly messages: ContextVmMessageCounter;

  constructor(sql: PreparedStatements, countingSince: number) {
    this.repo = new ContextVmServerRepo(sql);
    this.messages = new ContextVmMessageCounter(countingSince);
    for (const server of this.repo.servers()) this.messages.announce(server.pubkey);
  }

  get traffic(): ContextVmTraffic {
    return this.messages.traffic;
  }

  /**
   * Stores an announcement or counts a message. True for a message: it is ephemeral and must not be stored. The
   * server's pubkey goes into the batch's changed DVMs so that the DVMs tree, which lists the servers in their own
   * section, redraws (a pubkey it does not list as a DVM redraws its root).
   */
  take(event: NostrEvent, relay: string | undefined, changes: ChangeSet): boolean {
    if (!isContextVmKind(event.kind)) return false;
    const parsed = parseContextVm(event);
    if (!parsed) return event.kind === 25910 || event.kind === 26910;
    if (parsed.type === 'message') {
      this.messages.count(parsed, changes);
      return true;
    }
    this.repo.store(parsed, relay);
    this.messages.announce(event.pubkey);
    changes.dvms.add(event.pubkey);
    return false;
  }

  /** A copy of a stored announcement from another relay. */
  seenAgain(event: NostrEvent, relay: string): void {
    const parsed = isContextVmKind(event.kind) ? parseContextVm(event) : undefined;
    if (parsed?.type === 'announcement') this.repo.seenOn(event.pubkey, parsed.serverId, relay);
  }

  /** The servers, newest sign of life first; a date after `now` counts as now (liveness.ts does the same). */
  servers(now: number): ContextVmServer[] {
    return serversWithTraffic(this.repo.servers(), this.traffic, now);
  }
}
