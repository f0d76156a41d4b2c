import type pg from 'pg';
import { CONTEXTVM_MESSAGE_KINDS, parseContextVm, type ContextVmMessage } from '../../nostr/contextVmEvents';
import type { ContextVmMessageCounter } from '../../nostr/contextVmMessageCounter';
import { classify } from '../../nostr/eventClassifier';
import { duplicateHolds, screenEvents, signatureHolds } from '../../nostr/ingestScreen';
import { emptyChangeSet, JobAssembler, type ChangeSet } from '../../nostr/jobAssembler';
import type { NostrEvent } from '../../nostr/nostrEvent';
import type { IngestOutcome } from '../../nostr/nostrIngest';
import type { SerializedEvent } from '../../nostr/rawEvents';
import { Rejections } from '../../nostr/rejections';
import { loadVerifier, verifySignedEvent, type Verdict } from '../../nostr/signatureVerifier';
import { Tally } from '../../nostr/tally';
import type { Logger } from '../../util/logger';
import { SerialQueue } from '../../util/serialQueue';
import { notifyNostrChange } from './pgChangeNotices';
import { pgAnnouncedServers } from './pgContextVmServers';
import { contextVmAnnouncement, writeContextVmServers } from './pgContextVmWrites';
import { PgJobRows } from './pgJobRows';
import { pgRows } from './pgReader';
import { inPgTransaction, NOSTR_WRITE_LOCK } from './pgTransaction';

export interface PgNostrIngestorOptions {
  readonly pool: pg.Pool;
  readonly excludedKinds: () => readonly number[];
  /** Counts each dropped event by reason where the engine shows it (EngineContext.countDropped). */
  readonly countDropped: (reason: string, count: number) => void;
  /** The id + signature check; `verifySignedEvent` unless a benchmark fills a store with unsigned rows. */
  readonly verify?: (event: NostrEvent) => Verdict;
  readonly log?: Logger;
  /**
   * Counts the ContextVM messages this process ingests (the store's contextVmServers reads it). Per process, live only:
   * the messages are never stored, so an editor on a team store sees the traffic it ingested itself, not another
   * collector's. Without it the messages are accepted and not counted.
   */
  readonly contextVm?: ContextVmMessageCounter;
}

/** A stored copy: its raw row while the raw tier keeps it; only its id after (nostr_seen). */
type Known = { readonly seq: number; readonly relayId: number | null; readonly sig: string } | 'id-only';

/** Events per write transaction: the next chunk's signatures are checked while this one is written. */
const WRITE_CHUNK = 500;
/** Signature checks between two turns of the event loop, so a write in flight gets its answers read meanwhile. */
const VERIFY_SLICE = 25;
/** Relays do not keep these (ephemeral ContextVM traffic): counted as accepted, never stored; this process counts them (contextVmMessageCounter.ts). */
const EPHEMERAL_KINDS = new Set<number>(CONTEXTVM_MESSAGE_KINDS);

const RAW_INSERT = `INSERT INTO nostr_events (id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig)
  SELECT id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig
  FROM unnest($1::bytea[], $2::bytea[], $3::int[], $4::bigint[], $5::bytea[], $6::int[], $7::text[], $8::text[], $9::bytea[])
    WITH ORDINALITY AS v (id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig, n)
  ORDER BY n
  ON CONFLICT (id) DO NOTHING`;

/** An event's id in the remembered-ids tier (nostr_seen), by created_at and the id's first 8 bytes. */
const SEEN_LOOKUP = `SELECT s.created_at, s.id8 FROM nostr_seen s
  JOIN unnest($1::bigint[], $2::bytea[]) AS v (created_at, id8) ON s.created_at = v.created_at AND s.id8 = v.id8`;
/**
 * A relay's id, made on first sight, in one round trip. DO UPDATE (of nothing) so that RETURNING always has the row:
 * with DO NOTHING a row another collector committed meanwhile is in neither the INSERT's answer nor the statement's
 * snapshot. Once per relay per process, so the extra row version costs nothing.
 */
const RELAY_ID = 'INSERT INTO nostr_relays (url) VALUES ($1) ON CONFLICT (url) DO UPDATE SET url = excluded.url RETURNING id';

interface Verified {
  readonly fresh: SerializedEvent[];
  readonly duplicates: { readonly event: NostrEvent; readonly stored: Known | undefined }[];
}

const bytes = (hex: string) => Buffer.from(hex, 'hex');
const hex = (value: unknown) => (value as Buffer).toString('hex');

/**
 * The one way events enter the PostgreSQL store: the same checks as the sql.js ingest (ingestScreen.ts: shape, size,
 * kinds, id + BIP-340 signature), de-duplication against the stored ids, then the same NIP-90 rules (JobAssembler,
 * Tally) over a unit of work (PgJobRows). Several collectors may write one store: each write runs in one transaction
 * under an advisory lock, re-reads which events another writer stored meanwhile, and sends raw events with
 * ON CONFLICT DO NOTHING; only events it stores go through the rules, so nothing is counted twice.
 *
 * Signature checks are the limit, so they never wait for the database. A call's events go through two stages, each
 * one call at a time in call order: checking (in chunks) and writing (a transaction per chunk). A chunk is written
 * while the next one, of this call or of the next, is checked; a call is answered once all its chunks are written.
 */
export class PgNostrIngestor {
  /** Shape, id and signature checks and the stored-copy lookups: one call after the other, in call order. */
  private readonly checks = new SerialQueue();
  /** Write transactions, queued as their chunks pass the checks: so calls are written in the order they were made. */
  private readonly writes = new SerialQueue();
  private readonly relayIds = new Map<string, number>();
  /**
   * Events checked fresh whose write has not settled yet, id → signature. Several relays send the same events at
   * about the same time, and the next batch is checked while the last is written: a copy of one of these is the same
   * signed event when its signature matches and its content hashes to the id, so it needs no second signature check.
   * It goes on as fresh, and its write's re-read under the lock makes it a duplicate (or stores it, had that write
   * failed).
   */
  private readonly inFlight = new Map<string, string>();

  constructor(private readonly options: PgNostrIngestorOptions) {}

  /** Calls may overlap: each is checked and written after the calls made before it (NostrEventRepo.ingest). */
  async ingest(relay: string | undefined, events: readonly unknown[]): Promise<IngestOutcome> {
    const rejections = new Rejections();
    const outcome = { accepted: 0, duplicates: 0, changes: emptyChangeSet() };
    const written: Promise<void>[] = [];
    // Both queues are entered synchronously, before any await, so that call order is queue order.
    const checked = this.checks.run(async () => {
      await loadVerifier();
      const candidates = screenEvents(events, new Set(this.options.excludedKinds()), rejections);
      /** Copies seen in this call (verified), by id: a later copy is a duplicate of the first. */
      const seen = new Map<string, string>();
      for (let start = 0; start < candidates.length; start += WRITE_CHUNK) {
        const chunk = candidates.slice(start, start + WRITE_CHUNK);
        const verified = await this.verifyChunk(chunk, await this.lookupKnown(chunk), seen, rejections);
        if (verified.fresh.length === 0 && verified.duplicates.length === 0) continue;
        for (const { event } of verified.fresh) this.inFlight.set(event.id, event.sig);
        written.push(this.writes.run(async () => {
          try {
            await this.write(relay, verified, outcome);
          } finally {
            for (const { event } of verified.fresh) if (this.inFlight.get(event.id) === event.sig) this.inFlight.delete(event.id);
          }
        }));
      }
    });
    // The chunks are queued while the checks run; every one queued is waited for, even after a failed check, so
    // none of them fails unheard.
    const [checking] = await Promise.allSettled([checked]);
    const failed = [checking, ...(await Promise.allSettled(written))].find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    for (const [reason, count] of Object.entries(rejections.counts)) this.options.countDropped(reason, count);
    if (this.options.log) rejections.log(this.options.log, relay);
    return { ...outcome, rejected: rejections.counts, rejectDetails: rejections.details };
  }

  private async verifyChunk(chunk: readonly SerializedEvent[], known: ReadonlyMap<string, Known>, seen: Map<string, string>, rejections: Rejections): Promise<Verified> {
    const verify = this.options.verify ?? verifySignedEvent;
    const verified: Verified = { fresh: [], duplicates: [] };
    for (let i = 0; i < chunk.length; i++) {
      if (i > 0 && i % VERIFY_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const candidate = chunk[i];
      const { event } = candidate;
      const earlier = seen.get(event.id);
      const stored = known.get(event.id);
      if (earlier !== undefined || stored) {
        const sig = earlier ?? (stored !== 'id-only' ? stored?.sig : undefined);
        if (duplicateHolds(candidate, sig, verify, rejections)) verified.duplicates.push({ event, stored: earlier !== undefined ? undefined : stored });
        continue;
      }
      const pending = this.inFlight.get(event.id);
      if (!(pending !== undefined ? duplicateHolds(candidate, pending, verify, rejections) : signatureHolds(event, verify, rejections))) continue;
      seen.set(event.id, event.sig);
      verified.fresh.push(candidate);
    }
    return verified;
  }

  /** One transaction: what another writer stored meanwhile is a duplicate; the rest is stored and assembled. */
  private async write(relay: string | undefined, verified: Verified, outcome: { accepted: number; duplicates: number; changes: ChangeSet }): Promise<void> {
    const relayId = relay ? await this.relayId(relay) : null;
    const { fresh, duplicates, changes, messages } = await inPgTransaction(this.options.pool, async (client) => {
      const duplicates = [...verified.duplicates];
      let fresh = verified.fresh;
      if (fresh.length > 0) {
        const already = await this.storedRows(client, fresh.map(({ event }) => event.id));
        if (already.size > 0) {
          for (const { event } of fresh) if (already.has(event.id)) duplicates.push({ event, stored: already.get(event.id) });
          fresh = fresh.filter(({ event }) => !already.has(event.id));
        }
      }
      const changes = emptyChangeSet();
      const stored = fresh.filter(({ event }) => !EPHEMERAL_KINDS.has(event.kind));
      if (stored.length > 0) await this.assembleAndStore(client, stored, relayId, changes);
      // ContextVM servers beside the job model (contextVmTracker.ts); their pubkeys redraw the DVMs tree.
      const announcements = stored.map(({ event }) => contextVmAnnouncement(event)).filter((announcement) => announcement !== undefined);
      for (const { event } of announcements) changes.dvms.add(event.pubkey);
      const seenOn = duplicates.map(({ event }) => contextVmAnnouncement(event)).filter((announcement) => announcement !== undefined)
        .map(({ event, serverId }) => ({ pubkey: event.pubkey, serverId }));
      if (announcements.length > 0 || seenOn.length > 0) await writeContextVmServers(client, announcements, seenOn, relay);
      const messages = await this.contextVmMessages(client, fresh, announcements.map(({ event }) => event.pubkey));
      const relays = duplicates.filter(({ stored: copy }) => relayId !== null && copy && copy !== 'id-only' && copy.relayId !== relayId);
      if (relays.length > 0) {
        // Record the extra relay only while the raw event is kept; its id lives in nostr_seen after that.
        await client.query(`INSERT INTO nostr_event_relays (seq, relay_id) SELECT seq, $2 FROM unnest($1::bigint[]) AS v (seq) ON CONFLICT DO NOTHING`,
          [relays.map(({ stored: copy }) => (copy as Exclude<Known, 'id-only'>).seq), relayId]);
      }
      // Editors listening on this store refresh what the chunk touched; PostgreSQL delivers it at COMMIT, and only then.
      await notifyNostrChange(client, changes);
      return { fresh, duplicates, changes, messages };
    }, NOSTR_WRITE_LOCK);
    // Counted after COMMIT, and outside the notice: other processes hold none of this process's counts.
    for (const message of messages) this.options.contextVm?.count(message, outcome.changes);
    outcome.accepted += fresh.length;
    outcome.duplicates += duplicates.length;
    for (const dvm of changes.dvms) outcome.changes.dvms.add(dvm);
    for (const kind of changes.kinds) outcome.changes.kinds.add(kind);
    for (const job of changes.jobs) outcome.changes.jobs.add(job);
  }

  /**
   * The ContextVM messages among `fresh` (sql.js: contextVmTracker.ts), with the counter told which of their servers
   * announced themselves (`announced` in this chunk, or in the store by any collector): only those redraw the views.
   */
  private async contextVmMessages(client: pg.PoolClient, fresh: readonly SerializedEvent[], announced: readonly string[]): Promise<ContextVmMessage[]> {
    const counter = this.options.contextVm;
    if (!counter) return [];
    for (const pubkey of announced) counter.announce(pubkey);
    const messages = fresh.filter(({ event }) => EPHEMERAL_KINDS.has(event.kind)).map(({ event }) => parseContextVm(event))
      .filter((parsed): parsed is ContextVmMessage => parsed?.type === 'message');
    const unknown = [...new Set(messages.map(({ server }) => server))].filter((server) => !counter.knows(server));
    if (unknown.length > 0) for (const pubkey of await pgAnnouncedServers(client, unknown)) counter.announce(pubkey);
    return messages;
  }

  /** Loads the rows the events touch, runs the NIP-90 rules in order, and writes raw events and rows back. */
  private async assembleAndStore(client: pg.PoolClient, events: readonly SerializedEvent[], relayId: number | null, changes: ChangeSet): Promise<void> {
    const infos = events.map(({ event }) => classify(event));
    const rows = new PgJobRows();
    await rows.load(client, infos.filter((info) => info !== undefined));
    const tally = new Tally();
    const assembler = new JobAssembler(rows, tally);
    const jobIds: (Buffer | null)[] = [];
    events.forEach(({ event }, i) => {
      const info = infos[i];
      const jobId = info ? assembler.apply(info, changes) : undefined;
      rows.noteEvent(event.id, event.pubkey, event.kind, jobId);
      jobIds.push(jobId ? bytes(jobId) : null);
    });
    tally.flush(rows);
    const inserted = await client.query(RAW_INSERT, [
      events.map(({ event }) => bytes(event.id)), events.map(({ event }) => bytes(event.pubkey)), events.map(({ event }) => event.kind),
      events.map(({ event }) => event.created_at), jobIds, events.map(() => relayId), events.map(({ tagsJson }) => tagsJson),
      events.map(({ contentJson }) => contentJson), events.map(({ event }) => bytes(event.sig)),
    ]);
    // Every writer takes the lock before it looks: a row that appeared anyway came from one that did not.
    if (inserted.rowCount !== events.length) throw new Error(`nostr ingest: ${events.length - (inserted.rowCount ?? 0)} event(s) were stored by a writer outside the ingest lock`);
    await rows.writes.write(client, rows.changedPairs());
  }

  /** Stored copies of `chunk`'s ids: raw rows, then remembered ids (nostr_seen) for the others. */
  private async lookupKnown(chunk: readonly SerializedEvent[]): Promise<Map<string, Known>> {
    const ids = [...new Set(chunk.map(({ event }) => event.id))];
    const known: Map<string, Known> = await this.storedRows(this.options.pool, ids);
    const rest = chunk.filter(({ event }) => !known.has(event.id));
    if (rest.length > 0) {
      // nostr_seen keeps an id's first 8 bytes with its created_at: that pair names the event.
      const seenKey = (createdAt: number, id8Hex: string) => `${createdAt}:${id8Hex}`;
      const byKey = new Map(rest.map(({ event }) => [seenKey(event.created_at, event.id.slice(0, 16)), event.id]));
      for (const [createdAt, id8] of await pgRows<[number, Buffer]>(this.options.pool, SEEN_LOOKUP,
        [rest.map(({ event }) => event.created_at), rest.map(({ event }) => bytes(event.id.slice(0, 16)))])) {
        const id = byKey.get(seenKey(Number(createdAt), hex(id8)));
        if (id !== undefined) known.set(id, 'id-only');
      }
    }
    return known;
  }

  private async storedRows(db: pg.Pool | pg.PoolClient, ids: readonly string[]): Promise<Map<string, Exclude<Known, 'id-only'>>> {
    const stored = new Map<string, Exclude<Known, 'id-only'>>();
    for (const [id, seq, relayId, sig] of await pgRows<[Buffer, number, number | null, Buffer]>(db,
      'SELECT id, seq, relay_id, sig FROM nostr_events WHERE id = ANY($1)', [ids.map(bytes)])) {
      stored.set(hex(id), { seq, relayId, sig: hex(sig) });
    }
    return stored;
  }

  private async relayId(url: string): Promise<number> {
    let id = this.relayIds.get(url);
    if (id === undefined) {
      id = (await pgRows<[number]>(this.options.pool, RELAY_ID, [url]))[0][0];
      this.relayIds.set(url, id);
    }
    return id;
  }
}
