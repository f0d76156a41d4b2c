import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import type { HistoryBackfillStore } from '../../src/core/nostr/nostrStore';
import { createPgHistoryBackfillStore } from '../../src/core/store/postgres/pgHistoryBackfill';
import { pgNostrMigrations } from '../../src/core/store/postgres/pgNostrMigrations';
import type { CoreKit } from '../fixtures/nostr/eventBuilders';
import { openPgAndSqliteKit } from '../support/pgAndSqliteKit';

/*
 * The history backfill's progress on PostgreSQL moves as on sql.js (sqliteHistoryBackfillRepo.ts): the same calls, in the
 * same order, leave the same rows and answer the same, through a window made longer before and after a run is done,
 * a shorter one, a restart with smaller filters, stops and their clearing.
 */

let pool: pg.Pool;
let kit: CoreKit;
let close: (() => Promise<void>) | undefined;
before(async () => {
  ({ pool, sqlite: kit, close } = await openPgAndSqliteKit(pgNostrMigrations));
});
after(() => close?.());

type Step = (store: HistoryBackfillStore) => Promise<unknown>;

const A = 'wss://a.example';
const B = 'wss://b.example';
const C = 'wss://c.example';
const STEPS: [string, Step][] = [
  ['plan a fresh relay', (s) => s.plan(A, 1_000, 5_000, 20)],
  ['advance a page', (s) => s.advance(A, 0, 4_000, 120, 100)],
  ['advance to the second filter', (s) => s.advance(A, 1, 3_500, 30, 3)],
  ['a longer window before the run is done', (s) => s.plan(A, 500, 6_000, 20)],
  ['restart with smaller filters', (s) => s.restartWithKindsPerFilter(A, 5)],
  ['advance again', (s) => s.advance(A, 2, 700, 10, 0)],
  ['finish', (s) => s.finish(A, 7_000)],
  ['stop a finished run (kept done)', (s) => s.stop(A, 'cancelled')],
  ['a longer window after the run is done', (s) => s.plan(A, 100, 8_000, 5)],
  ['a shorter window', (s) => s.plan(A, 300, 8_000, 5)],
  ['plan another relay', (s) => s.plan(B, 2_000, 9_000, 20)],
  ['and a third', (s) => s.plan(C, 2_000, 9_000, 20)],
  ['stop one for the budget', (s) => s.stop(B, 'budget')],
  ['cancel another', (s) => s.stop(C, 'cancelled')],
  ['clear the budget stops only', (s) => s.clearStop('budget')],
  ['list', (s) => s.all()],
  ['clear every stop', (s) => s.clearStop()],
  ['read one', (s) => s.get(C)],
  ['read an unknown relay', (s) => s.get('wss://never.example')],
  ['list again', (s) => s.all()],
];

test('every call answers and leaves what sql.js answers and leaves', async () => {
  const sqliteRepo = kit.core.historyBackfill;
  const sqlite: HistoryBackfillStore = {
    get: async (relay) => sqliteRepo.get(relay),
    all: async () => sqliteRepo.all(),
    plan: async (...args) => sqliteRepo.plan(...args),
    advance: async (...args) => sqliteRepo.advance(...args),
    restartWithKindsPerFilter: async (...args) => sqliteRepo.restartWithKindsPerFilter(...args),
    finish: async (...args) => sqliteRepo.finish(...args),
    stop: async (...args) => sqliteRepo.stop(...args),
    clearStop: async (...args) => sqliteRepo.clearStop(...args),
  };
  const postgres = createPgHistoryBackfillStore(pool);
  for (const [name, step] of STEPS) {
    assert.deepEqual(await step(postgres), await step(sqlite), `${name}: answer`);
    assert.deepEqual(await postgres.all(), await sqlite.all(), `${name}: rows`);
  }
  const done = (await postgres.get(A))!;
  assert.equal(done.since, 300, 'the windows moved the stored row');
});
