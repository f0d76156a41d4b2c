import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { postedJobsMigrations } from '../../src/core/store/sqlite/jobs/postedJobsMigrations';
import { idBytes } from '../../src/core/nostr/hexIds';
import { NostrCore } from '../../src/core/store/sqlite/nostr/nostrCore';
import { nostrMigrations } from '../../src/core/store/sqlite/nostr/nostrMigrations';
import type { PostedJobStore } from '../../src/core/nostr/nostrStore';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { createPgPostedJobStore } from '../../src/core/store/postgres/pgPostedJobs';
import { pgId } from '../../src/core/store/postgres/pgReader';
import { Store } from '../../src/core/store/sqlite/store';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor, DEFAULT_EXCLUDED, fixtureEvent, fixtureEvents } from '../fixtures/nostr/eventBuilders';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { buildZapReceipt } from '../support/zapReceipt';

/*
 * My jobs on PostgreSQL lists what sql.js lists (postedJobsRepo.ts): the same real DVMDash requests recorded as
 * posted, answered by their real signed results and feedback, one paid by a zap receipt, give the same rows (status,
 * answering DVMs, input in clear, payment), in the same order and under the same limits; the same stored requests
 * come back; a request whose job is not stored is not listed; a damaged stored request costs its row only its copy.
 */

let server: PostgresServer;
let pool: pg.Pool;
let store: Store;
let core: NostrCore;
let sqlite: PostedJobStore;
let postgres: PostedJobStore;

/** Requests answered in the fixture: a result (a53c9389), payment required (cf726170), an encrypted job (0383fc28)… */
const POSTED = ['a53c9389', 'cf726170', '0383fc28', '059cfc7f', 'e2947bcb', '7b1213df', '320e769d', '84610264', 'f492967b', '600f05a6', '91052f7c', '03056ca3'];

before(async () => {
  server = await startPostgres();
  const url = await createDatabase(server);
  pool = await openPgPool(url);
  await runPgMigrations(pool, pgNostrMigrations, url);
  ({ store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...nostrMigrations, ...postedJobsMigrations] }));
  core = new NostrCore({ db: store.db, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined, pinnedDvms: () => new Set() });
  const repo = core.postedJobs;
  sqlite = { record: async (...args) => repo.record(...args), request: async (id) => repo.request(id), list: async (limit) => repo.list(limit) };
  postgres = createPgPostedJobStore(pool);

  // The invoice of cf726170's DVM paid: My jobs shows what the receipt proves.
  const invoice = fixtureEvents().find((event) => event.kind === 7000 && event.tags.some((tag) => tag[0] === 'e' && tag[1] === fixtureEvent('cf726170').id))!;
  const receipt = buildZapReceipt({ senderKey: new Actor().secret, recipient: invoice.pubkey, eventId: invoice.id, amountMsats: 21_000, relayUrl: 'wss://relay.example', createdAt: invoice.created_at + 5 });
  const events = [...fixtureEvents(), receipt];
  const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
  assert.deepEqual((await ingestor.ingest('wss://relay.example', events)).rejected, (await core.ingest('wss://relay.example', events)).rejected);
});
after(async () => {
  core?.dispose();
  await store?.close();
  await pool?.end();
  await server?.stop();
});

type Step = (posted: PostedJobStore) => Promise<unknown>;

const requests = POSTED.map(fixtureEvent);
const neverStored = new Actor().sign(5050, [['i', 'posted, but its job is not in the store', 'text']], '', 1_744_000_000);
const base = 1_745_000_000;
const STEPS: [string, Step][] = [
  ['an empty list', (s) => s.list(undefined)],
  // Posting times out of the requests' own order, two pairs within one second (request_id breaks those ties).
  ['record the posted requests', async (s) => {
    for (const [i, request] of requests.entries()) await s.record(request, base + Math.floor(((i * 7) % requests.length) / 2));
  }],
  ['record one whose job is not stored', (s) => s.record(neverStored, base + 100)],
  ['record one again, later (the first posting stands)', (s) => s.record(requests[0], base + 200)],
  ['list with the default limit', (s) => s.list(undefined)],
  ['list the newest posted five', (s) => s.list(5)],
  ['list one', (s) => s.list(1)],
  ['a limit past the clamp', (s) => s.list(100_000)],
  ['a limit of zero', (s) => s.list(0)],
  ['read each stored request', (s) => Promise.all([...requests, neverStored].map((request) => s.request(request.id)))],
  ['read one by upper-case id', (s) => s.request(requests[1].id.toUpperCase())],
  ['read one never posted', (s) => s.request(fixtureEvent('7e6dfd2f').id)],
];

test('every call answers what sql.js answers, for real signed requests and their answers', async () => {
  for (const [name, step] of STEPS) assert.deepEqual(await step(postgres), await step(sqlite), name);

  const listed = await postgres.list(undefined);
  assert.equal(listed.length, requests.length, 'every posted job that is stored, and only those');
  assert.ok(!listed.some((job) => job.requestId === neverStored.id));
  const byId = new Map(listed.map((job) => [job.requestId, job]));
  assert.deepEqual(byId.get(requests[0].id)!.input, { data: 'What is a data vending machine?', type: 'text' });
  assert.equal(byId.get(requests[0].id)!.status, 'result-delivered');
  assert.deepEqual([byId.get(requests[1].id)!.status, byId.get(requests[1].id)!.paidMsats, byId.get(requests[1].id)!.zaps], ['payment-required', 21_000, 1]);
  assert.deepEqual([byId.get(requests[2].id)!.encrypted, byId.get(requests[2].id)!.input], [true, undefined]);
  assert.deepEqual(await postgres.request(requests[3].id), requests[3]);
});

test('a damaged stored request is skipped, not fatal: its job stays listed, its copy reads as missing, on both', async () => {
  const [cut, notAnEvent] = [requests[4], requests[5]];
  const damage = async (request: NostrEvent, text: string) => {
    store.db.run('UPDATE nostr_posted_jobs SET request = ? WHERE request_id = ?', [text, idBytes(request.id)]);
    await pool.query('UPDATE nostr_posted_jobs SET request = $1 WHERE request_id = $2', [text, pgId(request.id)]);
  };
  await damage(cut, JSON.stringify(cut).slice(0, 40));
  await damage(notAnEvent, JSON.stringify({ id: notAnEvent.id, tags: 'not a list' }));

  const listed = await postgres.list(undefined);
  assert.deepEqual(listed, await sqlite.list(undefined));
  assert.equal(listed.length, requests.length);
  assert.deepEqual(listed.find((job) => job.requestId === cut.id)?.input, { data: 'Summarize this', type: 'text' }, 'the raw request still says the input');
  for (const request of [cut, notAnEvent]) {
    assert.equal(await postgres.request(request.id), null);
    assert.equal(await sqlite.request(request.id), null);
  }
});
