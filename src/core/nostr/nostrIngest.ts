import { classify } from './eventClassifier';
import { checkShape, MAX_EVENT_JSON_LENGTH } from './eventShape';
import { emptyChangeSet, JobAssembler, type ChangeSet } from './jobAssembler';
import { canonicalJson, roleOfKind, type NostrEvent } from './nostrEvent';
import type { PreparedStatements } from './preparedStatements';
import { loadVerifier, verifySignedEvent as verifyEvent, type Verdict } from './signatureVerifier';
import { Tally } from './tally';

/** Why an event was dropped; each is counted (engine health view) and returned by `nostr.ingest`. */
export type RejectReason = 'malformed' | 'oversized' | 'excluded-kind' | 'not-dvm-kind' | 'bad-id' | 'bad-signature';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Record<string, number>;
}

export interface IngestOutcome extends IngestResult {
  readonly changes: ChangeSet;
}

export interface NostrIngestorOptions {
  readonly sql: PreparedStatements;
  readonly excludedKinds: () => readonly number[];
  /** Counts each dropped event by reason where the engine shows it (EngineContext.countDropped). */
  readonly countDropped: (reason: string, count: number) => void;
  /**
   * The id + signature check. Always `verifySignedEvent` in the product; a benchmark that fills a store with
   * 200,000 synthetic rows passes its own to measure queries without minutes of signing.
   */
  readonly verify?: (event: NostrEvent) => Verdict;
}

interface Candidate {
  readonly event: NostrEvent;
  readonly json: string;
}

/**
 * The one way events enter the store (relay collector, `nostr.ingest`, the CLI): shape, size and kind checks,
 * id + BIP-340 signature, de-duplication across relays, then job assembly and storage in one transaction.
 */
export class NostrIngestor {
  private readonly tally = new Tally();
  private readonly assembler: JobAssembler;
  private seq: number;

  constructor(private readonly options: NostrIngestorOptions) {
    this.assembler = new JobAssembler(options.sql, this.tally);
    this.seq = options.sql.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM nostr_events')?.seq ?? 0;
  }

  async ingest(relay: string | undefined, events: readonly unknown[]): Promise<IngestOutcome> {
    await loadVerifier();
    return this.ingestLoaded(relay, events);
  }

  /** Synchronous body; the verifier must be loaded. */
  ingestLoaded(relay: string | undefined, events: readonly unknown[]): IngestOutcome {
    const { sql } = this.options;
    const rejected: Record<string, number> = {};
    const reject = (reason: RejectReason) => {
      rejected[reason] = (rejected[reason] ?? 0) + 1;
    };
    const excluded = new Set(this.options.excludedKinds());
    const verifySignedEvent = this.options.verify ?? verifyEvent;
    const fresh = new Map<string, Candidate>();
    const duplicates: Candidate[] = [];

    for (const raw of events) {
      const shape = checkShape(raw);
      if (!shape.ok) {
        reject('malformed');
        continue;
      }
      const event = shape.event;
      const json = canonicalJson(event);
      if (json.length > MAX_EVENT_JSON_LENGTH) {
        reject('oversized');
        continue;
      }
      if (excluded.has(event.kind)) {
        reject('excluded-kind');
        continue;
      }
      if (roleOfKind(event.kind) === undefined) {
        reject('not-dvm-kind');
        continue;
      }
      const known = fresh.get(event.id)?.json ?? this.storedJson(event.id);
      if (known !== undefined) {
        // A byte-identical copy of a verified event needs no second signature check; anything else does.
        if (known !== json) {
          const verdict = verifySignedEvent(event);
          if (verdict !== 'ok') {
            reject(verdict);
            continue;
          }
        }
        duplicates.push({ event, json });
        continue;
      }
      const verdict = verifySignedEvent(event);
      if (verdict !== 'ok') {
        reject(verdict);
        continue;
      }
      fresh.set(event.id, { event, json });
    }

    const changes = emptyChangeSet();
    if (fresh.size > 0 || duplicates.length > 0) {
      sql.transaction(() => {
        let newest = 0;
        for (const { event, json } of fresh.values()) {
          const info = classify(event);
          const jobId = info ? this.assembler.apply(info, changes) : undefined;
          sql.run('INSERT INTO nostr_events (id, pubkey, kind, created_at, seq, job_id, json) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [event.id, event.pubkey, event.kind, event.created_at, ++this.seq, jobId ?? null, json]);
          sql.run('INSERT OR IGNORE INTO nostr_seen (id, created_at) VALUES (?, ?)', [event.id, event.created_at]);
          if (relay) sql.run('INSERT OR IGNORE INTO nostr_event_relays (event_id, relay) VALUES (?, ?)', [event.id, relay]);
          newest = Math.max(newest, event.created_at);
        }
        for (const { event } of duplicates) {
          // Record the extra relay only while the raw event is kept; its ids live in nostr_seen after that.
          if (relay && sql.get('SELECT 1 AS found FROM nostr_events WHERE id = ?', [event.id])) {
            sql.run('INSERT OR IGNORE INTO nostr_event_relays (event_id, relay) VALUES (?, ?)', [event.id, relay]);
          }
          newest = Math.max(newest, event.created_at);
        }
        this.tally.flush(sql);
        if (relay && newest > 0) {
          sql.run('INSERT INTO nostr_relay_cursors (relay, newest_created_at) VALUES (?, ?) ON CONFLICT (relay) DO UPDATE SET newest_created_at = max(newest_created_at, excluded.newest_created_at)', [relay, newest]);
        }
      });
    }
    for (const [reason, count] of Object.entries(rejected)) this.options.countDropped(reason, count);
    return { accepted: fresh.size, duplicates: duplicates.length, rejected, changes };
  }

  /** The stored canonical JSON of an event, '' if it was counted but its raw copy is gone, undefined if unseen. */
  private storedJson(id: string): string | undefined {
    const row = this.options.sql.get<{ json: string }>('SELECT json FROM nostr_events WHERE id = ?', [id]);
    if (row) return row.json;
    return this.options.sql.get('SELECT 1 AS found FROM nostr_seen WHERE id = ?', [id]) ? '' : undefined;
  }
}
