import type { SqlValue } from 'sql.js';
import { idBytes, idHex } from '../../../nostr/hexIds';
import { IdFilter } from '../../../nostr/idFilter';
import {
  PAIR_COLUMNS, type JobHead, type JobRow, type JobRows, type MetadataRow, type Pair, type PairTimes, type PendingZap, type ProfileRow, type ZapRow,
} from '../../../nostr/jobRows';
import type { PreparedStatements } from './preparedStatements';

/** The job (kind, created_at) and the pair in one statement: both are primary-key lookups. */
const JOB_AND_PAIR_SQL = `SELECT j.kind, j.created_at, ${PAIR_COLUMNS.map((column) => `p.${column}`).join(', ')}
  FROM (SELECT ?1 AS request_id, ?2 AS dvm) AS x
  LEFT JOIN nostr_jobs j ON j.request_id = x.request_id
  LEFT JOIN nostr_job_dvms p ON p.request_id = x.request_id AND p.dvm = x.dvm`;
const INSERT_PAIR_SQL = `INSERT INTO nostr_job_dvms (${PAIR_COLUMNS.join(', ')}, request_id, dvm)
  VALUES (${PAIR_COLUMNS.map(() => '?').join(', ')}, ?, ?)`;
const UPDATE_PAIR_SQL = `UPDATE nostr_job_dvms SET ${PAIR_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE request_id = ? AND dvm = ?`;
/** Columns that indexes hold: an update that leaves them alone skips rewriting those index entries. */
const INDEXED_PAIR_COLUMNS: readonly (keyof Pair)[] = ['first_at', 'response_sec'];
const STATE_COLUMNS = PAIR_COLUMNS.filter((column) => !INDEXED_PAIR_COLUMNS.includes(column));
const UPDATE_PAIR_STATE_SQL = `UPDATE nostr_job_dvms SET ${STATE_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE request_id = ? AND dvm = ?`;

const NOTHING_EARLIER = { answered: false, cancelledAt: null } as const;

/**
 * The rules' rows in the sql.js store (schema: nostrMigrations.ts), read and written one statement at a time inside
 * the ingest batch's transaction: sql.js answers in microseconds, and every statement is prepared once.
 */
export class SqlJobRows implements JobRows {
  /** Hex ids of events that zap receipts named before the event arrived (nostr_zaps with no job yet). */
  private pendingZapTargets = new Set<string>();
  /**
   * Requests that responses or deletions named before the request arrived. Most requests come first, and these
   * filters spare them the lookup. Rebuilt at start; between starts they grow by one entry per early response.
   */
  private earlyResponses = new IdFilter();
  private earlyDeletions = new IdFilter();

  constructor(private readonly sql: PreparedStatements) {
    this.reload();
  }

  reload(scope: 'all' | 'zaps' = 'all'): void {
    this.reloadZaps();
    if (scope === 'zaps') return;
    this.earlyResponses = new IdFilter();
    for (const [prefix] of this.sql.rows(`SELECT DISTINCT hex(substr(request_id, 1, 6)) FROM nostr_job_dvms p
      WHERE NOT EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.request_id = p.request_id)`)) this.earlyResponses.addPrefixHex(prefix as string);
    this.earlyDeletions = new IdFilter();
    for (const [prefix] of this.sql.rows('SELECT DISTINCT hex(substr(target_id, 1, 6)) FROM nostr_deletions')) this.earlyDeletions.addPrefixHex(prefix as string);
  }

  private reloadZaps(): void {
    this.pendingZapTargets = new Set(this.sql.rows('SELECT DISTINCT target_id FROM nostr_zaps WHERE request_id IS NULL AND target_id IS NOT NULL').map((row) => idHex(row[0])));
  }

  earlierFacts(requestId: string, customer: string): { answered: boolean; cancelledAt: number | null } {
    // Usually nothing came first, and the filters say so without a lookup.
    if (!this.earlyResponses.mayHave(requestId) && !this.earlyDeletions.mayHave(requestId)) return NOTHING_EARLIER;
    const row = this.sql.row(`SELECT EXISTS (SELECT 1 FROM nostr_job_dvms WHERE request_id = ?1),
      (SELECT min(created_at) FROM nostr_deletions WHERE target_id = ?1 AND deleter = ?2)`, [idBytes(requestId), idBytes(customer)]);
    return { answered: row?.[0] === 1, cancelledAt: (row?.[1] as number | null | undefined) ?? null };
  }

  addJob(job: JobRow): void {
    this.sql.run('INSERT OR IGNORE INTO nostr_jobs (request_id, kind, customer, created_at, encrypted, scheme, cancelled_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [idBytes(job.requestId), job.kind, idBytes(job.customer), job.createdAt, job.encrypted ? 1 : 0, job.scheme, job.cancelledAt]);
  }

  addTarget(requestId: string, dvm: string, at: number): void {
    this.sql.run('INSERT OR IGNORE INTO nostr_job_targets (request_id, dvm, created_at) VALUES (?, ?, ?)', [idBytes(requestId), idBytes(dvm), at]);
  }

  addLink(childId: string, parentId: string, at: number): void {
    this.sql.run('INSERT OR IGNORE INTO nostr_job_links (child_id, parent_id, created_at) VALUES (?, ?, ?)', [idBytes(childId), idBytes(parentId), at]);
  }

  pairsOf(requestId: string): PairTimes[] {
    return this.sql.rows('SELECT dvm, first_at, first_result_at, first_feedback_at, response_sec, feedback_sec FROM nostr_job_dvms WHERE request_id = ?', [idBytes(requestId)])
      .map((row) => ({
        dvm: idHex(row[0]), firstAt: row[1] as number, firstResultAt: row[2] as number | null, firstFeedbackAt: row[3] as number | null,
        responseSec: row[4] as number | null, feedbackSec: row[5] as number | null,
      }));
  }

  movePair(requestId: string, dvm: string, kind: number, responseSec: number | null, feedbackSec: number | null): void {
    this.sql.run('UPDATE nostr_job_dvms SET kind = ?, response_sec = ?, feedback_sec = ? WHERE request_id = ? AND dvm = ?',
      [kind, responseSec, feedbackSec, idBytes(requestId), idBytes(dvm)]);
  }

  jobAndPair(requestId: string, dvm: string): { job: JobHead | undefined; pair: Pair | undefined } {
    const row = this.sql.row(JOB_AND_PAIR_SQL, [idBytes(requestId), idBytes(dvm)]);
    if (!row) return { job: undefined, pair: undefined };
    return {
      job: row[0] !== null ? { kind: row[0] as number, created_at: row[1] as number } : undefined,
      pair: row[2] !== null ? pairFromRow(row) : undefined,
    };
  }

  addPair(requestId: string, dvm: string, pair: Pair, requestStored: boolean): void {
    if (!requestStored) this.earlyResponses.add(requestId);
    this.sql.run(INSERT_PAIR_SQL, [...PAIR_COLUMNS.map((column) => pair[column]), idBytes(requestId), idBytes(dvm)]);
  }

  updatePair(requestId: string, dvm: string, pair: Pair, old: Pair): void {
    const key = [idBytes(requestId), idBytes(dvm)];
    if (INDEXED_PAIR_COLUMNS.every((column) => pair[column] === old[column])) this.sql.run(UPDATE_PAIR_STATE_SQL, [...STATE_COLUMNS.map((column) => pair[column]), ...key]);
    else this.sql.run(UPDATE_PAIR_SQL, [...PAIR_COLUMNS.map((column) => pair[column]), ...key]);
  }

  pairKind(requestId: string, dvm: string): number | undefined {
    return this.sql.row('SELECT kind FROM nostr_job_dvms WHERE request_id = ? AND dvm = ?', [idBytes(requestId), idBytes(dvm)])?.[0] as number | undefined;
  }

  addProof(requestId: string, dvm: string, msats: number): void {
    this.sql.run('UPDATE nostr_job_dvms SET proven_msats = proven_msats + ? WHERE request_id = ? AND dvm = ?', [msats, idBytes(requestId), idBytes(dvm)]);
  }

  jobExists(requestId: string): boolean {
    return this.sql.row('SELECT 1 FROM nostr_jobs WHERE request_id = ?', [idBytes(requestId)]) !== undefined;
  }

  zapTarget(eventId: string): { pubkey: string; kind: number; jobId: string | null } | undefined {
    const row = this.sql.row('SELECT pubkey, kind, job_id FROM nostr_events WHERE id = ?', [idBytes(eventId)]);
    return row ? { pubkey: idHex(row[0]), kind: row[1] as number, jobId: row[2] === null ? null : idHex(row[2]) } : undefined;
  }

  addZap(zap: ZapRow): void {
    this.sql.run('INSERT OR IGNORE INTO nostr_zaps (id, target_id, recipient, msats, created_at, request_id, dvm) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      idBytes(zap.id), hexOrNull(zap.targetId), hexOrNull(zap.recipient), zap.msats, zap.createdAt, hexOrNull(zap.requestId), hexOrNull(zap.dvm),
    ]);
    if (!zap.requestId && zap.targetId) this.pendingZapTargets.add(zap.targetId);
  }

  takePendingZaps(eventId: string): PendingZap[] {
    if (!this.pendingZapTargets.delete(eventId)) return [];
    return this.sql.rows('SELECT id, msats, created_at FROM nostr_zaps WHERE target_id = ? AND request_id IS NULL', [idBytes(eventId)])
      .map((row) => ({ id: idHex(row[0]), msats: row[1] as number, createdAt: row[2] as number }));
  }

  linkZap(zapId: string, requestId: string, dvm: string): void {
    const zap = idBytes(zapId);
    const request = idBytes(requestId);
    this.sql.run('UPDATE nostr_zaps SET request_id = ?, dvm = ? WHERE id = ?', [request, idBytes(dvm), zap]);
    this.sql.run('UPDATE nostr_events SET job_id = ? WHERE id = ?', [request, zap]);
  }

  addDeletion(targetId: string, eventId: string, deleter: string, at: number): void {
    this.earlyDeletions.add(targetId);
    this.sql.run('INSERT OR IGNORE INTO nostr_deletions (target_id, event_id, deleter, created_at) VALUES (?, ?, ?, ?)', [idBytes(targetId), idBytes(eventId), idBytes(deleter), at]);
  }

  cancelJob(requestId: string, deleter: string, at: number): boolean {
    this.sql.run('UPDATE nostr_jobs SET cancelled_at = min(coalesce(cancelled_at, ?), ?) WHERE request_id = ? AND customer = ?', [at, at, idBytes(requestId), idBytes(deleter)]);
    return this.sql.changes() > 0;
  }

  heartbeat(pubkey: string, at: number): void {
    this.sql.run('INSERT INTO nostr_heartbeats (pubkey, last_at) VALUES (?, ?) ON CONFLICT (pubkey) DO UPDATE SET last_at = max(last_at, excluded.last_at)', [idBytes(pubkey), at]);
  }

  profileCreatedAt(pubkey: string, d: string): number | undefined {
    return this.sql.row('SELECT created_at FROM nostr_profiles WHERE pubkey = ? AND d = ?', [idBytes(pubkey), d])?.[0] as number | undefined;
  }

  putProfile(p: ProfileRow): void {
    this.sql.run(`INSERT OR REPLACE INTO nostr_profiles (pubkey, d, created_at, event_id, name, about, picture, lud16, encryption_supported, cashu_accepted, nip90_params, kinds, relays)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      idBytes(p.pubkey), p.d, p.createdAt, idBytes(p.eventId), p.name, p.about, p.picture, p.lud16, p.encryptionSupported, p.cashuAccepted, p.nip90Params, p.kinds, p.relays,
    ]);
  }

  metadataCreatedAt(pubkey: string): number | undefined {
    return this.sql.row('SELECT created_at FROM nostr_metadata WHERE pubkey = ?', [idBytes(pubkey)])?.[0] as number | undefined;
  }

  putMetadata(m: MetadataRow): void {
    this.sql.run('INSERT OR REPLACE INTO nostr_metadata (pubkey, created_at, event_id, name, about, picture, lud16) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [idBytes(m.pubkey), m.createdAt, idBytes(m.eventId), m.name, m.about, m.picture, m.lud16]);
  }
}

function pairFromRow(row: readonly SqlValue[]): Pair {
  const pair = {} as Record<keyof Pair, SqlValue>;
  PAIR_COLUMNS.forEach((column, index) => {
    pair[column] = row[index + 2];
  });
  return pair as unknown as Pair;
}

function hexOrNull(hex: string | null): Uint8Array | null {
  return hex ? idBytes(hex) : null;
}
