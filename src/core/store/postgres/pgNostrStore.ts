import type pg from 'pg';
import type { HistoryBackfillStore, NostrEventRepo, NostrPageRepo, NostrStore, PostedJobStore } from '../../nostr/nostrStore';
import { ContextVmMessageCounter } from '../../nostr/contextVmMessageCounter';
import { DEFAULT_LIVENESS } from '../../nostr/liveness';
import { loadVerifier } from '../../nostr/signatureVerifier';
import type { NostrStoreOptions } from '../storage';
import { pgContextVmServers } from './pgContextVmServers';
import { pgDvmAnnouncement, pgDvmChoices } from './pgDvmChoices';
import { PgEventReads } from './pgEventReads';
import { PgMetricsRepo } from './pgMetricsRepo';
import { PgNostrIngestor } from './pgNostrIngest';
import { PgPageRepo } from './pgPageRepo';
import { pgKeepStaleRankings } from './pgPairStats';
import { PgRelayCursors } from './pgRelayCursors';

/** What the PostgreSQL Nostr store is built from besides the pool: the parts other files own. */
export interface PgNostrStoreOptions extends NostrStoreOptions {
  readonly pool: pg.Pool;
  /** Retention and the size budget over PostgreSQL (pgNostrRetention.ts). */
  readonly retention: Pick<NostrEventRepo, 'maintain' | 'trimRaw' | 'evictOldest'>;
  readonly postedJobs: PostedJobStore;
  readonly historyBackfill: HistoryBackfillStore;
  /**
   * The store may not be written here (Storage.readOnlyReason, asked once at open): reads keep no response-time
   * rankings and maintenance ranks nothing ahead (pgPairStats.ts). Default false.
   */
  readonly readOnly?: boolean;
}

/**
 * NostrStore over a team's PostgreSQL database: the PostgreSQL ingest (pgNostrIngest.ts) is the one way in, the
 * reads are the pg* query files, which answer what the sql.js store answers for the same events (storeParity test).
 * The pool is the caller's (PgStorage owns it); dispose leaves it open.
 */
export function createPgNostrStore(options: PgNostrStoreOptions): NostrStore {
  const { pool } = options;
  // ContextVM messages are ephemeral and never stored: this process counts those its ingest takes in (per process, live
  // only, as on sql.js), and contextVmServers merges the counts into the servers the tables hold.
  const contextVm = new ContextVmMessageCounter(Math.floor(Date.now() / 1000));
  const ingestor = new PgNostrIngestor({ pool, excludedKinds: options.excludedKinds, countDropped: options.countDropped, log: options.log, contextVm });
  const reads = new PgEventReads(pool);
  const thresholds = options.liveness ?? DEFAULT_LIVENESS;
  const readOnly = options.readOnly ?? false;
  const pageRepo = new PgPageRepo({ db: pool, pinnedDvms: options.pinnedDvms, liveness: thresholds, readOnly });
  const events: NostrEventRepo = {
    ingest: (relay, batch) => ingestor.ingest(relay, batch),
    event: (id) => reads.event(id),
    trace: (id) => reads.trace(id),
    traceGraph: (id) => reads.traceGraph(id),
    recentJobs: (limit) => reads.recentJobs(limit),
    knownPeople: (limit) => reads.knownPeople(limit),
    maintain: async (now, windows) => {
      const report = await options.retention.maintain(now, windows);
      // Every writer runs this pass each minute: rankings kept here spare readers that may not keep them (pgPairStats.ts).
      if (!readOnly) await pgKeepStaleRankings(pool);
      return report;
    },
    trimRaw: (rawCutoff) => options.retention.trimRaw(rawCutoff),
    evictOldest: (bytes) => options.retention.evictOldest(bytes),
  };
  const pages: NostrPageRepo = {
    dvms: (limit, offset, now) => pageRepo.dvms(limit, offset, now),
    dvm: (pubkey, now, limit) => pageRepo.dvm(pubkey, now, limit),
    kinds: () => pageRepo.kinds(),
    kind: (kind, now) => pageRepo.kind(kind, now),
    dvmPage: (pubkey, pageOptions) => pageRepo.dvmPage(pubkey, pageOptions),
    kindPage: (kind, pageOptions) => pageRepo.kindPage(kind, pageOptions),
    userPage: (pubkey, limit) => pageRepo.userPage(pubkey, limit),
    recentByKind: (perKind) => pageRepo.recentByKind(perKind),
    liveness: (pubkey, now) => pageRepo.liveness(pubkey, now),
    livenessChangedBetween: (since, now) => pageRepo.livenessChangedBetween(since, now),
    dvmAnnouncement: (pubkey) => pgDvmAnnouncement(pool, pubkey),
    dvmChoices: (limit, now) => pgDvmChoices(pool, limit, now, thresholds),
    dvmMedians: (pubkeys) => pageRepo.dvmMedians(pubkeys),
    contextVmServers: (now) => pgContextVmServers(pool, contextVm.traffic, now),
  };
  return {
    events,
    metrics: new PgMetricsRepo(pool),
    pages,
    postedJobs: options.postedJobs,
    historyBackfill: options.historyBackfill,
    cursors: new PgRelayCursors(pool),
    ready: () => loadVerifier(),
    dispose: async () => undefined,
  };
}
