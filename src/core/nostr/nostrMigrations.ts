import type { Migration } from '../store/migration';

/**
 * The Nostr DVM schema. Three tiers with three lifetimes (DESIGN.md "Data kept"):
 * - raw: `nostr_events` (+ relays) for settings.rawWindowHours;
 * - history: jobs, per-(job, DVM) state, zaps, deletions, rollups, dedupe ids for settings.historyDays;
 * - all-time: counters and distinct sets (DVMs, users, kinds) that retention never touches.
 * Rows tied to a pinned DVM (pins.domain = 'dvm') are exempt from both retention and the size budget.
 */
export const nostrMigrations: readonly Migration[] = [
  {
    id: 'nostr-001-schema',
    up(db) {
      db.run(`
        -- raw tier --------------------------------------------------------------------------------------------
        CREATE TABLE nostr_events (
          id TEXT PRIMARY KEY,
          pubkey TEXT NOT NULL,
          kind INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          seq INTEGER NOT NULL,            -- arrival order, to order events of one second
          job_id TEXT,                     -- the request this event belongs to (a request: itself)
          json TEXT NOT NULL
        );
        CREATE INDEX nostr_events_created ON nostr_events (created_at);
        CREATE INDEX nostr_events_job ON nostr_events (job_id) WHERE job_id IS NOT NULL;
        CREATE TABLE nostr_event_relays (
          event_id TEXT NOT NULL,
          relay TEXT NOT NULL,
          PRIMARY KEY (event_id, relay)
        ) WITHOUT ROWID;

        -- history tier ----------------------------------------------------------------------------------------
        -- Ids already counted, so that a copy from another relay (or a re-import) is not counted twice.
        CREATE TABLE nostr_seen (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX nostr_seen_created ON nostr_seen (created_at);

        CREATE TABLE nostr_jobs (
          request_id TEXT PRIMARY KEY,
          kind INTEGER NOT NULL,
          customer TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          encrypted INTEGER NOT NULL,
          scheme TEXT,
          cancelled_at INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX nostr_jobs_created ON nostr_jobs (created_at);
        CREATE INDEX nostr_jobs_kind_customer ON nostr_jobs (kind, customer, created_at);
        CREATE INDEX nostr_jobs_customer ON nostr_jobs (customer, created_at);

        -- DVMs a request is addressed to (p tags): what liveness waits on.
        CREATE TABLE nostr_job_targets (request_id TEXT NOT NULL, dvm TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (request_id, dvm)) WITHOUT ROWID;
        CREATE INDEX nostr_job_targets_dvm ON nostr_job_targets (dvm, created_at);

        -- NIP-90 chaining: child consumes the output of parent (i tag of type job).
        CREATE TABLE nostr_job_links (child_id TEXT NOT NULL, parent_id TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (child_id, parent_id)) WITHOUT ROWID;
        CREATE INDEX nostr_job_links_parent ON nostr_job_links (parent_id);

        -- One row per (job, DVM): everything the DVM did on that job. Exists before the request does when a
        -- result or feedback arrives first; the request links to it by id when it comes.
        CREATE TABLE nostr_job_dvms (
          request_id TEXT NOT NULL,
          dvm TEXT NOT NULL,
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
          -- Response times, set once both the request and the answer are known (percentiles walk these indexes).
          response_sec INTEGER,
          feedback_sec INTEGER,
          PRIMARY KEY (request_id, dvm)
        ) WITHOUT ROWID;
        CREATE INDEX nostr_job_dvms_dvm ON nostr_job_dvms (dvm, first_at);
        CREATE INDEX nostr_job_dvms_first ON nostr_job_dvms (first_at);
        CREATE INDEX nostr_job_dvms_response ON nostr_job_dvms (response_sec, first_at) WHERE response_sec IS NOT NULL;
        CREATE INDEX nostr_job_dvms_feedback ON nostr_job_dvms (feedback_sec, first_at) WHERE feedback_sec IS NOT NULL;
        CREATE INDEX nostr_job_dvms_dvm_response ON nostr_job_dvms (dvm, response_sec) WHERE response_sec IS NOT NULL;

        CREATE TABLE nostr_deletions (target_id TEXT NOT NULL, event_id TEXT NOT NULL, deleter TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (target_id, event_id)) WITHOUT ROWID;
        CREATE TABLE nostr_zaps (
          id TEXT PRIMARY KEY,
          target_id TEXT,
          recipient TEXT,
          msats INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          request_id TEXT,                 -- set once the zapped event is linked to a job
          dvm TEXT
        ) WITHOUT ROWID;
        CREATE INDEX nostr_zaps_target ON nostr_zaps (target_id) WHERE request_id IS NULL;

        -- Per-hour ('h') and per-day ('d') sums per request kind and DVM ('' = not a DVM's figure, e.g. requests).
        CREATE TABLE nostr_rollups (
          period TEXT NOT NULL,
          bucket INTEGER NOT NULL,
          kind INTEGER NOT NULL,
          dvm TEXT NOT NULL,
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
        CREATE INDEX nostr_rollups_dvm ON nostr_rollups (dvm, period, bucket);

        CREATE TABLE nostr_profiles (
          pubkey TEXT NOT NULL,
          d TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          event_id TEXT NOT NULL,
          name TEXT, about TEXT, picture TEXT, lud16 TEXT,
          encryption_supported INTEGER, cashu_accepted INTEGER, nip90_params TEXT,
          kinds TEXT NOT NULL,             -- JSON array of announced job kinds
          PRIMARY KEY (pubkey, d)
        ) WITHOUT ROWID;
        CREATE TABLE nostr_metadata (
          pubkey TEXT PRIMARY KEY, created_at INTEGER NOT NULL, event_id TEXT NOT NULL,
          name TEXT, about TEXT, picture TEXT, lud16 TEXT
        ) WITHOUT ROWID;
        CREATE TABLE nostr_heartbeats (pubkey TEXT PRIMARY KEY, last_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE nostr_relay_cursors (relay TEXT PRIMARY KEY, newest_created_at INTEGER NOT NULL) WITHOUT ROWID;

        -- all-time tier ---------------------------------------------------------------------------------------
        CREATE TABLE nostr_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE nostr_dvms (
          pubkey TEXT PRIMARY KEY,
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
          feedback INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE nostr_users (pubkey TEXT PRIMARY KEY, requests INTEGER NOT NULL, first_seen INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE nostr_kind_users (kind INTEGER NOT NULL, pubkey TEXT NOT NULL, PRIMARY KEY (kind, pubkey)) WITHOUT ROWID;
        CREATE TABLE nostr_kind_dvms (kind INTEGER NOT NULL, dvm TEXT NOT NULL, PRIMARY KEY (kind, dvm)) WITHOUT ROWID;
        CREATE INDEX nostr_kind_dvms_dvm ON nostr_kind_dvms (dvm);
      `);
    },
  },
];
