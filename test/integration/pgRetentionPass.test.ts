import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type pg from 'pg';
import { PgNostrIngestor } from '../../src/core/store/postgres/pgNostrIngest';
import { PgNostrRetention } from '../../src/core/store/postgres/pgNostrRetention';
import { pgStorageMigrations } from '../../src/core/store/postgres/pgStorageMigrations';
import { Actor, DEFAULT_EXCLUDED, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { openPgAndSqliteKit } from '../support/pgAndSqliteKit';

/**
 * A retention pass of the usual size (the engine runs one a minute: what aged out since the last) commits as one
 * transaction on PostgreSQL, as sql.js's does, so no reader sees its jobs gone and their targets or rollups not yet.
 * Larger passes run in batches (pgNostrRetention.test.ts shows those; pgNostrRetention.ts's header says why).
 */

const T = 1_760_000_000;
const WINDOWS = { rawWindowHours: 24, historyDays: 2 };
const NOW = T + 3 * 86_400;
const relay = 'wss://relay.retention.example';

let pool: pg.Pool;
let sqlite: CoreKit;
let close: (() => Promise<void>) | undefined;
before(async () => {
  ({ pool, sqlite, close } = await openPgAndSqliteKit(pgStorageMigrations));
});
after(() => close?.());

it('a small maintain pass removes what sql.js removes in one transaction', async () => {
  const [dvm, customer] = [new Actor(), new Actor()];
  const events = Array.from({ length: 5 }, (_, i) => {
    const request = customer.sign(5050, [['p', dvm.pubkey], ['i', `text ${i}`, 'text']], '', T + i * 60);
    return [request, dvm.sign(6050, [['e', request.id], ['p', customer.pubkey]], 'done', T + i * 60 + 5)];
  }).flat();
  await sqlite.core.ingest(relay, events);
  await new PgNostrIngestor({ pool, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined }).ingest(relay, events);
  const retention = new PgNostrRetention(pool);

  const report = await retention.maintain(NOW, WINDOWS);

  // Every tier had rows to remove (both windows are past), and they are the rows sql.js removes.
  assert.deepEqual(report, sqlite.core.maintain(NOW, WINDOWS));
  assert.equal(report.rawEvents, 10);
  assert.equal(report.jobs, 5);
  assert.ok(report.rollups > 0);
  assert.equal(retention.lastRun.batches, 1, JSON.stringify(retention.lastRun));
  const left = await pool.query("SELECT (SELECT count(*) FROM nostr_jobs) + (SELECT count(*) FROM nostr_job_dvms) + (SELECT count(*) FROM nostr_job_targets) AS n");
  assert.equal(Number(left.rows[0].n), 0);
});
