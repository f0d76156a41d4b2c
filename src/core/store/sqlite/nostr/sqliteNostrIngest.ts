import type { Logger } from '../../../util/logger';
import { ContextVm } from './sqliteContextVmTracker';
import { classify } from '../../../nostr/eventClassifier';
import { idBytes, idHex } from '../../../nostr/hexIds';
import { duplicateHolds, screenEvents, signatureHolds } from '../../../nostr/ingestScreen';
import { emptyChangeSet, JobAssembler } from '../../../nostr/jobAssembler';
import type { NostrEvent } from '../../../nostr/nostrEvent';
import type { PreparedStatements } from './preparedStatements';
import type { SerializedEvent } from '../../../nostr/rawEvents';
import { loadVerifier, verifySignedEvent as verifyEvent, type Verdict } from '../../../nostr/signatureVerifier';
import { Rejections } from '../../../nostr/rejections';
import { SqlJobRows } from './sqlJobRows';
import { SqlTallyRows } from './sqlTallyRows';
import { Tally } from '../../../nostr/tally';
import type { IngestOutcome } from '../../../nostr/nostrIngest';

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
  /** Where each batch's reject details go, at debug level. */
  readonly log?: Logger;
}

/** A stored copy: its raw row (seq, first relay, signature) while the raw tier keeps it; only its id after. */
type Known = { readonly seq: number; readonly relayId: number | null; readonly sig: string } | 'id-only';

/** Ids looked up per statement: one `IN (…)` of this many instead of one query per event. */
const LOOKUP_CHUNK = 100;
const LOOKUP_SQL = `SELECT id, seq, relay_id, sig FROM nostr_events WHERE id IN (${Array.from({ length: LOOKUP_CHUNK }, () => '?').join(', ')})`;
const INSERT_EVENT_SQL = 'INSERT INTO nostr_events (seq, id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * The one way events enter the store (relay collector, `nostr.ingest`, the CLI): shape, size and kind checks,
 * id + BIP-340 signature, de-duplication across relays, then job assembly and storage in one transaction.
 */
export class NostrIngestor {
  private readonly tally = new Tally();
  private readonly tallyRows: SqlTallyRows;
  readonly assembler: JobAssembler;
  /** ContextVM / DVMCP servers and their live traffic, beside the job model. */
  readonly contextVm: ContextVm;
  private seq: number;
  private readonly relayIds = new Map<string, number>();
  /** Newest created_at in nostr_seen: younger events cannot be there, and skip that lookup. */
  private seenNewest: number;

  constructor(private readonly options: NostrIngestorOptions) {
    this.assembler = new JobAssembler(new SqlJobRows(options.sql), this.tally);
    this.tallyRows = new SqlTallyRows(options.sql);
    this.contextVm = new ContextVm(options.sql, Math.floor(Date.now() / 1000));
    this.seq = options.sql.row('SELECT max(seq) FROM nostr_events')?.[0] as number | null ?? 0;
    this.seenNewest = this.readSeenNewest();
  }

  /** After retention or eviction moved raw ids into nostr_seen. */
  refreshSeen(): void {
    this.seenNewest = this.readSeenNewest();
  }

  async ingest(relay: string | undefined, events: readonly unknown[]): Promise<IngestOutcome> {
    await loadVerifier();
    return this.ingestLoaded(relay, events);
  }

  /** Synchronous body; the verifier must be loaded. */
  ingestLoaded(relay: string | undefined, events: readonly unknown[]): IngestOutcome {
    const { sql } = this.options;
    const rejections = new Rejections();
    const excluded = new Set(this.options.excludedKinds());
    const verifySignedEvent = this.options.verify ?? verifyEvent;

    const candidates = screenEvents(events, excluded, rejections);
    const known = this.lookupKnown(candidates);
    const fresh = new Map<string, SerializedEvent>();
    const duplicates: { event: NostrEvent; stored: Known | undefined }[] = [];
    for (const candidate of candidates) {
      const { event } = candidate;
      const earlier = fresh.get(event.id);
      const stored = known.get(event.id);
      if (earlier || stored) {
        const sig = earlier ? earlier.event.sig : stored !== 'id-only' ? stored?.sig : undefined;
        if (duplicateHolds(candidate, sig, verifySignedEvent, rejections)) duplicates.push({ event, stored: earlier ? undefined : stored });
        continue;
      }
      if (signatureHolds(event, verifySignedEvent, rejections)) fresh.set(event.id, candidate);
    }

    const changes = emptyChangeSet();
    if (fresh.size > 0 || duplicates.length > 0) {
      const relayId = relay ? this.relayId(relay) : null;
      // No relay cursor is moved here: a stored batch proves nothing about what the relay holds before it (a
      // backfill page, a live event during a failed backfill, a file). The collector moves it once a backfill
      // completed (relayConnection.ts), through the one capped writer (sqliteRelayCursorRepo.ts).
      this.transaction(() => {
        for (const { event, tagsJson, contentJson } of fresh.values()) {
          if (this.contextVm.take(event, relay, changes)) continue; // ephemeral ContextVM traffic: counted, never stored
          const info = classify(event);
          const jobId = info ? this.assembler.apply(info, changes) : undefined;
          sql.run(INSERT_EVENT_SQL, [
            ++this.seq, idBytes(event.id), idBytes(event.pubkey), event.kind, event.created_at,
            jobId ? idBytes(jobId) : null, relayId, tagsJson, contentJson, idBytes(event.sig),
          ]);
        }
        for (const { event, stored } of duplicates) {
          if (relay !== undefined) this.contextVm.seenAgain(event, relay);
          // Record the extra relay only while the raw event is kept; its id lives in nostr_seen after that.
          if (relayId !== null && stored && stored !== 'id-only' && stored.relayId !== relayId) {
            sql.run('INSERT OR IGNORE INTO nostr_event_relays (seq, relay_id) VALUES (?, ?)', [stored.seq, relayId]);
          }
        }
        this.tally.flush(this.tallyRows);
      });
    }
    for (const [reason, count] of Object.entries(rejections.counts)) this.options.countDropped(reason, count);
    if (this.options.log) rejections.log(this.options.log, relay);
    return { accepted: fresh.size, duplicates: duplicates.length, rejected: rejections.counts, rejectDetails: rejections.details, changes };
  }

  /** The batch's transaction; on failure nothing of the batch may linger in the tally or the assembler's caches. */
  private transaction(body: () => void): void {
    try {
      this.options.sql.transaction(body);
    } catch (error) {
      this.tally.discard();
      this.assembler.reloadPending();
      throw error;
    }
  }

  /** Stored copies of the candidates' ids: raw rows in chunks of LOOKUP_CHUNK, then remembered ids (nostr_seen). */
  private lookupKnown(candidates: readonly SerializedEvent[]): Map<string, Known> {
    const { sql } = this.options;
    const known = new Map<string, Known>();
    const ids = [...new Set(candidates.map((candidate) => candidate.event.id))];
    for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
      const chunk = ids.slice(start, start + LOOKUP_CHUNK).map(idBytes);
      // Padding with an empty BLOB matches no 32-byte id.
      while (chunk.length < LOOKUP_CHUNK) chunk.push(new Uint8Array(0));
      for (const row of sql.rows(LOOKUP_SQL, chunk)) {
        known.set(idHex(row[0]), { seq: row[1] as number, relayId: row[2] as number | null, sig: idHex(row[3]) });
      }
    }
    for (const { event } of candidates) {
      if (event.created_at > this.seenNewest || known.has(event.id)) continue;
      if (sql.row('SELECT 1 FROM nostr_seen WHERE created_at = ? AND id8 = ?', [event.created_at, idBytes(event.id.slice(0, 16))])) known.set(event.id, 'id-only');
    }
    return known;
  }

  private relayId(url: string): number {
    let id = this.relayIds.get(url);
    if (id === undefined) {
      this.options.sql.run('INSERT OR IGNORE INTO nostr_relays (url) VALUES (?)', [url]);
      id = this.options.sql.row('SELECT id FROM nostr_relays WHERE url = ?', [url])?.[0] as number;
      this.relayIds.set(url, id);
    }
    return id;
  }

  private readSeenNewest(): number {
    return (this.options.sql.row('SELECT max(created_at) FROM nostr_seen')?.[0] as number | null) ?? -1;
  }
}
