import type { Migration } from '../migration';
import { contextVmMigration } from './contextVmMigration';
import { pageStatsMigration } from './sqlitePageStatsMigration';
import { seriesTotalsMigration } from './sqliteSeriesTotalsMigration';
import { historyBackfillMigration } from './historyBackfillMigration';
import { latencyStampMigration } from './latencyStampMigration';

/**
 * The Nostr DVM schema. Three tiers with three lifetimes (DESIGN.md "Data kept"):
 * - raw: `nostr_events` (+ extra relays) for settings.rawWindowHours;
 * - history: jobs, per-(job, DVM) state, zaps, deletions, rollups, dedupe ids for settings.historyDays;
 * - all-time: counters, distinct sets (DVMs, users, kinds) and the response-time totals retention never touches.
 * Rows tied to a pinned DVM (pins.domain = 'dvm') are exempt from both retention and the size budget.
 *
 * sql.js keeps the whole database in memory, so size is speed and budget: event ids and pubkeys are 32-byte BLOBs
 * (half of their hex text; `hexIds.ts` converts at the edges), the raw table is a rowid table in arrival order
 * (appends fill pages), and every index below has a reader named beside it.
 */
export const nostrMigrations: readonly Migration[] = [
  {
    id: 'nostr-001-schema',
    up(db) {
      db.run(`
        -- raw tier --------------------------------------------------------------------------------------------
        CREATE TABLE nostr_relays (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE);
        CREATE TABLE nostr_events (
          seq INTEGER PRIMARY KEY,         -- arrival order (rowid), to order events of one second
          id BLOB NOT NULL,
          pubkey BLOB NOT NULL,
          kind INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          job_id BLOB,                     -- the request this event belongs to (a request: itself)
          relay_id INTEGER,                -- the first relay that carried it; later ones in nostr_event_relays
          tags TEXT NOT NULL,              -- JSON.stringify(tags), as NIP-01 hashes it
          content TEXT NOT NULL,           -- JSON.stringify(content): NUL-safe through sql.js' C strings
          sig BLOB NOT NULL
        );
        CREATE UNIQUE INDEX nostr_events_id ON nostr_events (id);                          -- dedupe, event, trace
        CREATE INDEX nostr_events_created ON nostr_events (created_at);                    -- retention, eviction
        CREATE INDEX nostr_events_job ON nostr_events (job_id) WHERE job_id IS NOT NULL;   -- trace
        CREATE TABLE nostr_event_relays (seq INTEGER NOT NULL, relay_id INTEGER NOT NULL, PRIMARY KEY (seq, relay_id)) WITHOUT ROWID;

        -- history tier ----------------------------------------------------------------------------------------
        -- Ids of events whose raw copy is gone (retention, size budget), so that a copy from another relay or a
        -- re-import is not counted twice. Written only when a raw row is deleted: while the raw copy exists it is
        -- the dedupe key. The first 8 bytes of the id with its created_at: a false match needs two events of the
        -- same second sharing 64 bits of a SHA-256, which nobody can aim at an id they have not seen.
        CREATE TABLE nostr_seen (created_at INTEGER NOT NULL, id8 BLOB NOT NULL, PRIMARY KEY (created_at, id8)) WITHOUT ROWID;

        CREATE TABLE nostr_jobs (
          request_id BLOB PRIMARY KEY,
          kind INTEGER NOT NULL,
          customer BLOB NOT NULL,
          created_at INTEGER NOT NULL,
          encrypted INTEGER NOT NULL,
          scheme TEXT,
          cancelled_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX nostr_jobs_created ON nostr_jobs (created_at);                        -- retention, eviction
        CREATE INDEX nostr_jobs_customer ON nostr_jobs (customer, created_at);             -- window users (see metricsQuery)

        -- DVMs a request is addressed to (p tags): what liveness waits on.
        CREATE TABLE nostr_job_targets (request_id BLOB NOT NULL, dvm BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (request_id, dvm)) WITHOUT ROWID;
        CREATE INDEX nostr_job_targets_dvm ON nostr_job_targets (dvm, created_at);         -- liveness, waiting jobs

        -- NIP-90 chaining: child consumes the output of parent (i tag of type job).
        CREATE TABLE nostr_job_links (child_id BLOB NOT NULL, parent_id BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (child_id, parent_id)) WITHOUT ROWID;
        CREATE INDEX nostr_job_links_parent ON nostr_job_links (parent_id);                -- trace children

        -- One row per (job, DVM): everything the DVM did on that job. Exists before the request does when a
        -- result or feedback arrives first; the request links to it by id when it comes.
        CREATE TABLE nostr_job_dvms (
          request_id BLOB NOT NULL,
          dvm BLOB NOT NULL,
          kind INTEGER NOT NULL,           -- request kind; -1 while unknown (feedback before its request)
          first_at INTEGER NOT NULL,
          last_at INTEGER NOT NULL,
          status TEXT,
          status_at INTEGER,
          status_rank INTEGER NOT NULL DEFAULT 0,
          results INTEGER NOT NULL DEFAULT 0,
          feedback INTEGER NOT NULL DEFAULT 0,
          first_result_at INTEGER,
          first_feedback_at INTEGER,
          succeeded INTEGER NOT NULL DEFAULT 0,
          errored INTEGER NOT NULL DEFAULT 0,
          requested_msats INTEGER NOT NULL DEFAULT 0,
          requested_at INTEGER,            -- created_at of the payment-required feedback that set the amount
          amount_mismatch INTEGER NOT NULL DEFAULT 0,
          proven_msats INTEGER NOT NULL DEFAULT 0,
          -- Response times, set once both the request and the answer are known.
          response_sec INTEGER,
          feedback_sec INTEGER,
          PRIMARY KEY (request_id, dvm)
        ) WITHOUT ROWID;
        CREATE INDEX nostr_job_dvms_dvm ON nostr_job_dvms (dvm, first_at);                 -- a DVM's recent jobs
        CREATE INDEX nostr_job_dvms_first ON nostr_job_dvms (first_at);                    -- retention
        CREATE INDEX nostr_job_dvms_dvm_response ON nostr_job_dvms (dvm, response_sec) WHERE response_sec IS NOT NULL; -- a DVM's percentiles

        CREATE TABLE nostr_deletions (target_id BLOB NOT NULL, event_id BLOB NOT NULL, deleter BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (target_id, event_id)) WITHOUT ROWID;
        CREATE TABLE nostr_zaps (
          id BLOB PRIMARY KEY,
          target_id BLOB,
          recipient BLOB,
          msats INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          request_id BLOB,                 -- set once the zapped event is linked to a job
          dvm BLOB
        ) WITHOUT ROWID;
        CREATE INDEX nostr_zaps_target ON nostr_zaps (target_id) WHERE request_id IS NULL;

        -- Per-hour ('h') and per-day ('d') sums per request kind and DVM (x'' = not a DVM's figure, e.g. requests).
        CREATE TABLE nostr_rollups (
          period TEXT NOT NULL,
          bucket INTEGER NOT NULL,
          kind INTEGER NOT NULL,
          dvm BLOB NOT NULL,
          requests INTEGER NOT NULL DEFAULT 0,
          encrypted INTEGER NOT NULL DEFAULT 0,
          results INTEGER NOT NULL DEFAULT 0,
          feedback INTEGER NOT NULL DEFAULT 0,
          answered INTEGER NOT NULL DEFAULT 0,
          successes INTEGER NOT NULL DEFAULT 0,
          errors INTEGER NOT NULL DEFAULT 0,
          sats_requested INTEGER NOT NULL DEFAULT 0,
          sats_earned INTEGER NOT NULL DEFAULT 0,
          sats_proven INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (period, bucket, kind, dvm)
        ) WITHOUT ROWID;
        CREATE INDEX nostr_rollups_dvm ON nostr_rollups (dvm, period, bucket);             -- a DVM's series

        -- Response-time histograms per hour / day of the (job, DVM) pair's first answer: metric 'r' (first result)
        -- or 'f' (first feedback), log-spaced slot (latencyHistogram.ts). Window percentiles are read from these.
        CREATE TABLE nostr_latency_rollups (
          period TEXT NOT NULL, bucket INTEGER NOT NULL, metric TEXT NOT NULL, slot INTEGER NOT NULL, count INTEGER NOT NULL,
          PRIMARY KEY (period, bucket, metric, slot)
        ) WITHOUT ROWID;

        CREATE TABLE nostr_profiles (
          pubkey BLOB NOT NULL,
          d TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          event_id BLOB NOT NULL,
          name TEXT, about TEXT, picture TEXT, lud16 TEXT,
          encryption_supported INTEGER, cashu_accepted INTEGER, nip90_params TEXT,
          kinds TEXT NOT NULL,             -- JSON array of announced job kinds
          PRIMARY KEY (pubkey, d)
        ) WITHOUT ROWID;
        CREATE TABLE nostr_metadata (
          pubkey BLOB PRIMARY KEY, created_at INTEGER NOT NULL, event_id BLOB NOT NULL,
          name TEXT, about TEXT, picture TEXT, lud16 TEXT
        ) WITHOUT ROWID;
        CREATE TABLE nostr_heartbeats (pubkey BLOB PRIMARY KEY, last_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE nostr_relay_cursors (relay TEXT PRIMARY KEY, newest_created_at INTEGER NOT NULL) WITHOUT ROWID;

        -- all-time tier ---------------------------------------------------------------------------------------
        CREATE TABLE nostr_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE nostr_dvms (
          pubkey BLOB PRIMARY KEY,
          first_seen INTEGER NOT NULL,
          last_answer_at INTEGER,
          jobs INTEGER NOT NULL DEFAULT 0,
          results INTEGER NOT NULL DEFAULT 0,
          feedback INTEGER NOT NULL DEFAULT 0,
          successes INTEGER NOT NULL DEFAULT 0,
          errors INTEGER NOT NULL DEFAULT 0,
          sats_requested INTEGER NOT NULL DEFAULT 0,
          sats_earned INTEGER NOT NULL DEFAULT 0,
          sats_proven INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE nostr_kinds (
          kind INTEGER PRIMARY KEY,
          requests INTEGER NOT NULL DEFAULT 0,
          results INTEGER NOT NULL DEFAULT 0,
          feedback INTEGER NOT NULL DEFAULT 0,
          users INTEGER NOT NULL DEFAULT 0,  -- rows of nostr_kind_users, kept here so no query counts them
          dvms INTEGER NOT NULL DEFAULT 0    -- rows of nostr_kind_dvms
        );
        -- last_at: the newest request. A window ending at its query time counts users by it (metricsQuery).
        CREATE TABLE nostr_users (pubkey BLOB PRIMARY KEY, requests INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX nostr_users_last ON nostr_users (last_at);                            -- window users
        CREATE TABLE nostr_kind_users (kind INTEGER NOT NULL, pubkey BLOB NOT NULL, requests INTEGER NOT NULL, last_at INTEGER NOT NULL, PRIMARY KEY (kind, pubkey)) WITHOUT ROWID;
        CREATE INDEX nostr_kind_users_last ON nostr_kind_users (last_at);                  -- window kind by users
        CREATE TABLE nostr_kind_dvms (kind INTEGER NOT NULL, dvm BLOB NOT NULL, PRIMARY KEY (kind, dvm)) WITHOUT ROWID;
        CREATE INDEX nostr_kind_dvms_dvm ON nostr_kind_dvms (dvm);                         -- a DVM's kinds
        -- Exact all-time response-time counts per whole second: medians and p90 without walking the jobs.
        CREATE TABLE nostr_latency_totals (metric TEXT NOT NULL, value INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (metric, value)) WITHOUT ROWID;
      `);
    },
  },
  pageStatsMigration,
  contextVmMigration,
  seriesTotalsMigration,
  historyBackfillMigration,
  latencyStampMigration,
];
