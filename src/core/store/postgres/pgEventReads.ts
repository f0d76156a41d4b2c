import type { NostrEvent } from '../../nostr/eventTypes';
import type { RecentJob } from '../../nostr/nostrTypes';
import type { NostrEventRepo } from '../../nostr/nostrStore';
import type { JobTrace, TraceGraph } from '../../nostr/traceTypes';
import { pgKnownPeople } from './pgDvmList';
import { pgRecentJobs } from './pgJobLists';
import type { PgReader } from './pgReader';
import { pgEvent, pgTrace, pgTraceGraph } from './pgTrace';

/** The read half of NostrEventRepo over a PostgreSQL store; ingest and retention come from the PostgreSQL ingest. */
export type NostrEventReads = Pick<NostrEventRepo, 'event' | 'trace' | 'traceGraph' | 'recentJobs' | 'knownPeople'>;

export class PgEventReads implements NostrEventReads {
  constructor(private readonly db: PgReader) {}

  event(id: string): Promise<NostrEvent | null> {
    return pgEvent(this.db, id);
  }

  trace(id: string): Promise<JobTrace | null> {
    return pgTrace(this.db, id);
  }

  traceGraph(id: string): Promise<TraceGraph | null> {
    return pgTraceGraph(this.db, id);
  }

  recentJobs(limit?: number): Promise<RecentJob[]> {
    return pgRecentJobs(this.db, limit);
  }

  knownPeople(limit?: number): Promise<{ dvms: string[]; users: string[] }> {
    return pgKnownPeople(this.db, limit);
  }
}
