import type { DvmAnnouncement, DvmChoice } from '../../jobs/jobTypes';
import { announcementOf } from '../../jobs/dvmAnnouncement';
import { choicesLimit, dvmChoicesOf, type DvmChoiceRow } from '../../jobs/dvmChoiceRows';
import type { LivenessThresholds } from '../../nostr/liveness';
import { KIND_HANDLER_INFO } from '../../nostr/nostrEvent';
import { pgLoadProfile } from './pgDvmNames';
import { pgId, pgRow, pgRows, type PgReader } from './pgReader';

/** sqliteDvmAnnouncementQuery.ts on PostgreSQL: the profile and the newest raw handler event, decided by announcementOf. */
export async function pgDvmAnnouncement(db: PgReader, pubkey: string): Promise<DvmAnnouncement | null> {
  const key = pubkey.toLowerCase();
  const [profile, raw] = await Promise.all([
    pgLoadProfile(db, key),
    pgRow<[string, string]>(db, 'SELECT tags, content FROM nostr_events WHERE pubkey = $1 AND kind = $2 ORDER BY created_at DESC, seq DESC LIMIT 1', [pgId(key), KIND_HANDLER_INFO]),
  ]);
  return announcementOf(key, profile, raw ? { tags: raw[0], content: raw[1] } : undefined);
}

/** sqliteDvmChoicesQuery.ts on PostgreSQL: the playground's target picker in five statements, whatever the number of DVMs. */
export async function pgDvmChoices(db: PgReader, limit: number | undefined, now: number, thresholds: LivenessThresholds): Promise<DvmChoice[]> {
  const [rows, profiles, metadata, served, unanswered] = await Promise.all([
    pgRows<[string, number | null, number | null]>(db, `SELECT encode(d.pubkey, 'hex'), d.last_answer_at, h.last_at
      FROM nostr_dvms d LEFT JOIN nostr_heartbeats h ON h.pubkey = d.pubkey ORDER BY d.jobs DESC, d.results DESC, d.pubkey LIMIT $1`, [choicesLimit(limit)]),
    pgRows<[string, string | null, string]>(db, `SELECT encode(pubkey, 'hex'), name, kinds FROM nostr_profiles ORDER BY created_at DESC, pubkey, d`),
    pgRows<[string, string]>(db, `SELECT encode(pubkey, 'hex'), name FROM nostr_metadata WHERE name IS NOT NULL`),
    pgRows<[string, number]>(db, `SELECT encode(dvm, 'hex'), kind FROM nostr_kind_dvms`),
    // Per DVM, the oldest unanswered, uncancelled request addressed to it after its last sign of life (liveness.ts); no
    // sign at all is -1, as lastSignOfLife's null (least() would skip the NULL and take the clock).
    pgRows<[string, number]>(db, `SELECT encode(d.pubkey, 'hex'), min(t.created_at)
      FROM nostr_dvms d LEFT JOIN nostr_heartbeats h ON h.pubkey = d.pubkey
      JOIN nostr_job_targets t ON t.dvm = d.pubkey
        AND t.created_at > greatest(CASE WHEN d.last_answer_at IS NULL THEN -1 ELSE least(d.last_answer_at, $1) END,
          CASE WHEN h.last_at IS NULL THEN -1 ELSE least(h.last_at, $1) END) AND t.created_at <= $2
      JOIN nostr_jobs j ON j.request_id = t.request_id
      WHERE j.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM nostr_job_dvms jd WHERE jd.request_id = t.request_id AND jd.dvm = t.dvm)
      GROUP BY d.pubkey`, [now, now - thresholds.silentAfterSec]),
  ]);
  return dvmChoicesOf(rows.map(([pubkey, answer, beat]): DvmChoiceRow => ({ pubkey, answer, beat })), {
    profiles: profiles.map(([pubkey, name, kinds]) => ({ pubkey, name, kinds })),
    metadata: metadata.map(([pubkey, name]) => ({ pubkey, name })),
    served: served.map(([pubkey, kind]) => ({ pubkey, kind })),
    unanswered: new Map(unanswered),
  }, now, thresholds);
}
