import { idBytes, NO_DVM } from '../../../nostr/hexIds';
import type { TallyRows } from '../../../nostr/jobRows';
import type { PreparedStatements } from './preparedStatements';
import { DVM_FIELDS, ROLLUP_FIELDS } from '../../../nostr/tally';

const USER_SQL = `INSERT INTO nostr_users (pubkey, requests, first_seen, last_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (pubkey) DO UPDATE SET requests = requests + excluded.requests, first_seen = min(first_seen, excluded.first_seen),
    last_at = max(last_at, excluded.last_at) RETURNING requests`;
const KIND_USER_SQL = `INSERT INTO nostr_kind_users (kind, pubkey, requests, last_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (kind, pubkey) DO UPDATE SET requests = requests + excluded.requests, last_at = max(last_at, excluded.last_at)
  RETURNING requests`;
const ROLLUP_SQL = `INSERT INTO nostr_rollups (period, bucket, kind, dvm, ${ROLLUP_FIELDS.join(', ')})
  VALUES (?, ?, ?, ?, ${ROLLUP_FIELDS.map(() => '?').join(', ')})
  ON CONFLICT (period, bucket, kind, dvm) DO UPDATE SET ${ROLLUP_FIELDS.map((field) => `${field} = ${field} + excluded.${field}`).join(', ')}`;
const DVM_UPSERT_SQL = `INSERT INTO nostr_dvms (pubkey, first_seen, last_answer_at, ${DVM_FIELDS.join(', ')}) VALUES (?, ?, ?, ${DVM_FIELDS.map(() => '?').join(', ')})
  ON CONFLICT (pubkey) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen),
    last_answer_at = CASE WHEN excluded.last_answer_at IS NULL THEN last_answer_at ELSE max(coalesce(last_answer_at, 0), excluded.last_answer_at) END,
    ${DVM_FIELDS.map((field) => `${field} = ${field} + excluded.${field}`).join(', ')}`;
const DVM_UPDATE_SQL = `UPDATE nostr_dvms SET ${DVM_FIELDS.map((field) => `${field} = ${field} + ?`).join(', ')} WHERE pubkey = ?`;
const KIND_SQL = `INSERT INTO nostr_kinds (kind, requests, results, feedback, users, dvms) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (kind) DO UPDATE SET requests = requests + excluded.requests, results = results + excluded.results,
    feedback = feedback + excluded.feedback, users = users + excluded.users, dvms = dvms + excluded.dvms`;

/** The Tally's sums written into the sql.js store, one prepared upsert per row, inside the batch's transaction. */
export class SqlTallyRows implements TallyRows {
  constructor(private readonly sql: PreparedStatements) {}

  addUser(pubkey: string, requests: number, firstSeen: number, lastAt: number): number {
    return this.sql.row(USER_SQL, [idBytes(pubkey), requests, firstSeen, lastAt])?.[0] as number;
  }

  addKindUser(kind: number, pubkey: string, requests: number, lastAt: number): number {
    return this.sql.row(KIND_USER_SQL, [kind, idBytes(pubkey), requests, lastAt])?.[0] as number;
  }

  addKindDvm(kind: number, dvm: string): boolean {
    this.sql.run('INSERT OR IGNORE INTO nostr_kind_dvms (kind, dvm) VALUES (?, ?)', [kind, idBytes(dvm)]);
    return this.sql.changes() > 0;
  }

  addCounter(name: string, delta: number): void {
    this.sql.run('INSERT INTO nostr_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value', [name, delta]);
  }

  addRollup(period: string, bucket: number, kind: number, dvm: string, values: readonly number[]): void {
    this.sql.run(ROLLUP_SQL, [period, bucket, kind, dvm ? idBytes(dvm) : NO_DVM, ...values]);
  }

  upsertDvm(pubkey: string, firstSeen: number, lastAnswerAt: number | null, totals: readonly number[]): void {
    this.sql.run(DVM_UPSERT_SQL, [idBytes(pubkey), firstSeen, lastAnswerAt, ...totals]);
  }

  addToDvm(pubkey: string, totals: readonly number[]): void {
    this.sql.run(DVM_UPDATE_SQL, [...totals, idBytes(pubkey)]);
  }

  addKind(kind: number, requests: number, results: number, feedback: number, users: number, dvms: number): void {
    this.sql.run(KIND_SQL, [kind, requests, results, feedback, users, dvms]);
  }

  addLatencyRollup(period: string, bucket: number, metric: string, slot: number, delta: number): void {
    this.sql.run(`INSERT INTO nostr_latency_rollups (period, bucket, metric, slot, count) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (period, bucket, metric, slot) DO UPDATE SET count = count + excluded.count`, [period, bucket, metric, slot, delta]);
  }

  addLatencyTotal(metric: string, value: number, delta: number): void {
    this.sql.run(`INSERT INTO nostr_latency_totals (metric, value, count) VALUES (?, ?, ?)
      ON CONFLICT (metric, value) DO UPDATE SET count = count + excluded.count`, [metric, value, delta]);
  }
}
