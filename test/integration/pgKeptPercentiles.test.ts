import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type pg from 'pg';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { PgPageRepo } from '../../src/core/store/postgres/pgPageRepo';
import { pgStorageMigrations } from '../../src/core/store/postgres/pgStorageMigrations';
import type { NostrEvent } from '../../src/core/nostr/eventTypes';
import { Actor, DEFAULT_EXCLUDED, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { openPgAndSqliteKit } from '../support/pgAndSqliteKit';

/**
 * PostgreSQL keeps each response-time ranking (pgPairStats.ts) until the counts it ranked change. Here the counts of
 * one DVM change batch after batch, through each path the pair trigger takes (a new pair, a result waiting for its
 * request that then arrives with the same kind), with the kind page and the DVMs list read after every batch: a kept
 * ranking that missed a change would show the previous batch's median where sql.js, which ranks on every read, does not.
 */

const T = 1_760_000_000;
const NOW = T + 5_000;
const RETENTION = { rawWindowHours: 48, historyDays: 90 };
const relay = 'wss://relay.kept.example';

let pool: pg.Pool;
let sqlite: CoreKit;
let close: (() => Promise<void>) | undefined;
before(async () => {
  ({ pool, sqlite, close } = await openPgAndSqliteKit(pgStorageMigrations));
});
after(() => close?.());

it('the kind page and the DVMs list give sql.js\'s percentiles after every change to the response times they ranked', async () => {
  const [dvm, customer] = [new Actor(), new Actor()];
  const request = (at: number) => customer.sign(5050, [['p', dvm.pubkey], ['i', `text ${at}`, 'text']], '', at);
  const result = (of: NostrEvent, at: number) => dvm.sign(6050, [['e', of.id], ['p', customer.pubkey]], 'done', at);
  const late = request(T + 995);
  const batches: NostrEvent[][] = [];
  const first = request(T);
  batches.push([first, result(first, T + 10)]); // response times {10}
  const [second, third] = [request(T + 100), request(T + 300)];
  batches.push([second, result(second, T + 200), third, result(third, T + 400)]); // {10, 100, 100}
  batches.push([result(late, T + 1_000)]); // a result before its request: no response time yet
  batches.push([late]); // its request, same kind: {5, 10, 100, 100}

  const ingestor = new PgNostrIngestor({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined });
  const pages = new PgPageRepo({ db: pool, pinnedDvms: () => new Set() });
  const medians: unknown[] = [];
  for (const batch of batches) {
    await sqlite.core.ingest(relay, batch);
    await ingestor.ingest(relay, batch);
    const expectedPage = sqlite.core.pages.kind(5050, { now: NOW, retention: RETENTION });
    assert.deepEqual(await pages.kindPage(5050, { now: NOW, retention: RETENTION }), expectedPage);
    assert.deepEqual(await pages.dvms(undefined, undefined, NOW), sqlite.core.dvms(undefined, undefined, NOW));
    medians.push(expectedPage!.dvms.map((entry) => [entry.p50ResponseSec, entry.p90ResponseSec]));
  }
  // The figures moved at every batch but the third, so a ranking kept too long shows in the comparisons above.
  assert.deepEqual(medians, [[[10, 10]], [[100, 100]], [[100, 100]], [[10, 100]]]);
});
