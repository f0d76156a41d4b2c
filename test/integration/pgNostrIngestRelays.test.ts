import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { verifySignedEvent } from '../../src/core/nostr/signatureVerifier';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor, DEFAULT_EXCLUDED, fixtureEvents, tampered } from '../fixtures/nostr/eventBuilders';
import { openPgAndSqliteKit, type PgAndSqliteKit } from '../support/pgAndSqliteKit';

/**
 * Several relays send the same events at about the same time, and the engine hands the PostgreSQL ingestor the next
 * batch while the last one is written. A copy from the second relay must cost no second signature check, be counted a
 * duplicate, and have its relay recorded; a forged copy under a known id must still be caught.
 */

let kit: PgAndSqliteKit;
before(async () => {
  kit = await openPgAndSqliteKit(pgNostrMigrations);
});
after(async () => {
  await kit?.close();
});

it('the same events from two relays at once: one signature check each, the second copies duplicates with their relay kept', async () => {
  const events = fixtureEvents();
  const checked: string[] = [];
  const ingestor = new PgNostrIngestor({
    pool: kit.pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined,
    verify: (event: NostrEvent) => {
      checked.push(event.id);
      return verifySignedEvent(event);
    },
  });
  // Relay B's copy is handed over before relay A's batch is written, as two relay connections' batchers do.
  const [fromA, fromB] = await Promise.all([ingestor.ingest('wss://a.example', events), ingestor.ingest('wss://b.example', events)]);
  const stored = Number((await kit.pool.query<{ n: string }>('SELECT count(*) AS n FROM nostr_events')).rows[0]!.n);
  assert.equal(fromA.accepted, stored);
  assert.equal(fromB.accepted, 0);
  assert.equal(fromB.duplicates, stored);
  assert.equal(checked.length, new Set(checked).size, 'no event had its signature checked twice');
  const onB = await kit.pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM nostr_event_relays r JOIN nostr_relays l ON l.id = r.relay_id WHERE l.url = 'wss://b.example'");
  assert.equal(Number(onB.rows[0]!.n), stored, 'every event is recorded as seen on relay B too');
});

it('a copy with another content under an id being written is checked in full and dropped as forged', async () => {
  const customer = new Actor();
  const genuine = customer.sign(5050, [['i', 'a fresh request', 'text']], '', 1_760_000_000);
  const other = customer.sign(5050, [['i', 'another fresh request', 'text']], '', 1_760_000_001);
  const ingestor = new PgNostrIngestor({ pool: kit.pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
  const forged = tampered(genuine, { content: 'changed after signing' });
  const [first, second] = await Promise.all([ingestor.ingest('wss://a.example', [genuine, other]), ingestor.ingest('wss://b.example', [forged])]);
  assert.equal(first.accepted, 2);
  assert.deepEqual(second.rejected, { 'bad-id': 1 });
  assert.equal(second.accepted + second.duplicates, 0);
});
