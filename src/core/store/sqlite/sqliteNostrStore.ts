import type { Database as SqlDatabase } from 'sql.js';
import { NostrCore } from './nostr/nostrCore';
import type {
  HistoryBackfillStore, NostrEventRepo, NostrMetricsRepo, NostrPageRepo, NostrStore, PostedJobStore, RelayCursorStore,
} from '../../nostr/nostrStore';
import type { NostrStoreOptions } from '../storage';

export interface SqliteNostrStoreOptions extends NostrStoreOptions {
  readonly db: SqlDatabase;
  /** The database's size as the size budget measures it (Store.usedBytes). */
  readonly usedBytes: () => number;
}

/**
 * The Nostr store over the embedded sql.js database: NostrCore (the sql.js engine room, synchronous, with its
 * prepared statements and query files) behind the asynchronous NostrStore. Every call runs to its end before it
 * returns its promise, so the answers are what the synchronous core gave; only the interface is asynchronous.
 */
export function createSqliteNostrStore(options: SqliteNostrStoreOptions): NostrStore {
  const core = new NostrCore(options);
  const events: NostrEventRepo = {
    ingest: (relay, batch) => core.ingest(relay, batch),
    event: async (id) => core.event(id),
    trace: async (id) => core.trace(id),
    traceGraph: async (id) => core.traceGraph(id),
    recentJobs: async (limit) => core.recentJobs(limit),
    knownPeople: async (limit) => core.knownPeople(limit),
    maintain: async (now, windows) => core.maintain(now, windows),
    trimRaw: async (rawCutoff) => core.trimRaw(rawCutoff),
    evictOldest: async (bytes) => core.evictOldest(bytes, options.usedBytes),
  };
  const metrics: NostrMetricsRepo = {
    metrics: async (now) => core.metrics(now),
    series: async (seriesOptions) => core.series(seriesOptions),
    activity: async (activityOptions) => core.pages.activity(activityOptions),
  };
  const pages: NostrPageRepo = {
    dvms: async (limit, offset, now) => core.dvms(limit, offset, now),
    dvm: async (pubkey, now, limit) => core.dvm(pubkey, now, limit),
    kinds: async () => core.kinds(),
    kind: async (kind, now) => core.kind(kind, now),
    dvmPage: async (pubkey, pageOptions) => core.pages.dvm(pubkey, pageOptions),
    kindPage: async (kind, pageOptions) => core.pages.kind(kind, pageOptions),
    userPage: async (pubkey, limit) => core.pages.user(pubkey, limit),
    recentByKind: async (perKind) => core.pages.recentByKind(perKind),
    liveness: async (pubkey, now) => core.liveness(pubkey, now),
    livenessChangedBetween: async (since, now) => core.livenessChangedBetween(since, now),
    dvmAnnouncement: async (pubkey) => core.dvmAnnouncement(pubkey),
    dvmChoices: async (limit, now) => core.dvmChoices(limit, now),
    dvmMedians: async (pubkeys) => core.dvmMedians(pubkeys),
    contextVmServers: async (now) => core.contextVmServers(now),
  };
  const postedJobs: PostedJobStore = {
    record: async (request, postedAt) => core.postedJobs.record(request, postedAt),
    request: async (requestId) => core.postedJobs.request(requestId),
    list: async (limit) => core.postedJobs.list(limit),
  };
  const backfill = core.historyBackfill;
  const historyBackfill: HistoryBackfillStore = {
    get: async (relay) => backfill.get(relay),
    all: async () => backfill.all(),
    plan: async (relay, since, until, kindsPerFilter) => backfill.plan(relay, since, until, kindsPerFilter),
    advance: async (relay, filterIndex, until, count, accepted) => backfill.advance(relay, filterIndex, until, count, accepted),
    restartWithKindsPerFilter: async (relay, kindsPerFilter) => backfill.restartWithKindsPerFilter(relay, kindsPerFilter),
    finish: async (relay, at) => backfill.finish(relay, at),
    stop: async (relay, reason) => backfill.stop(relay, reason),
    clearStop: async (reason) => backfill.clearStop(reason),
  };
  const cursors: RelayCursorStore = {
    get: async (relay) => core.cursor(relay),
    advance: async (relay, createdAt) => core.setCursor(relay, createdAt),
    repairFuture: async (now) => core.repairFutureCursors(now),
  };
  return {
    events, metrics, pages, postedJobs, historyBackfill, cursors,
    ready: () => core.ready(),
    dispose: async () => core.dispose(),
  };
}
