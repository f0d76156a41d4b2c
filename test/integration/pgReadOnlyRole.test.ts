import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { NostrEvent } from '../../src/core/nostr/eventTypes';
import type { NostrStore } from '../../src/core/nostr/nostrStore';
import { openPgStorage, type PgStorage } from '../../src/core/store/postgres/pgStorage';
import { Actor, DEFAULT_EXCLUDED, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { createSelectOnlyRole } from '../support/pgViewerRole';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/**
 * A team may give its editors a role that can only SELECT (the collector writes, the editors look). The DVMs list
 * and the kind page rank response times and PostgreSQL keeps those rankings (pgPairStats.ts): a read by such a role
 * must still answer, with the figures sql.js gives, both where nothing was kept yet and where what was kept is stale.
 */

const T = 1_760_000_000;
const NOW = T + 5_000;
const RETENTION = { rawWindowHours: 48, historyDays: 90 };
const relay = 'wss://relay.readonly.example';
const STORE_OPTIONS = { excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined, pinnedDvms: () => new Set<string>() };

let server: PostgresServer;
let url: string;
let writer: PgStorage;
let reader: PgStorage;
let sqlite: CoreKit;
before(async () => {
  server = await startPostgres();
  url = await createDatabase(server);
  writer = await openPgStorage(url, { listen: false });
  // An editor opens the store as it does (schema check, then listening for the collector's writes), on a role made
  // after the schema exists: SELECT on the tables there are, nothing else (no INSERT, UPDATE, DELETE, CREATE).
  reader = await openPgStorage(await createSelectOnlyRole(url));
  sqlite = await openCore();
});
after(async () => {
  await sqlite?.close();
  await reader?.close();
  await writer?.close();
  await server?.stop();
});

it('a role that may only SELECT reads the DVMs list and a kind page, ranked as sql.js ranks them', async () => {
  const [dvm, other, customer] = [new Actor(), new Actor(), new Actor()];
  const request = (to: Actor, at: number) => customer.sign(5050, [['p', to.pubkey], ['i', `text ${at}`, 'text']], '', at);
  const result = (by: Actor, of: NostrEvent, at: number) => by.sign(6050, [['e', of.id], ['p', customer.pubkey]], 'done', at);
  const [first, second, third] = [request(dvm, T), request(other, T + 100), request(dvm, T + 300)];
  const batches = [
    [first, result(dvm, first, T + 10), second, result(other, second, T + 130)], // response times: dvm {10}, other {30}
    [third, result(dvm, third, T + 400)], // dvm {10, 100}: its kept ranking (if any) is stale
  ];
  const writes: NostrStore = writer.openNostr(STORE_OPTIONS);
  const reads: NostrStore = reader.openNostr(STORE_OPTIONS);
  const seen: unknown[] = [];
  for (const batch of batches) {
    await sqlite.core.ingest(relay, batch);
    await writes.events.ingest(relay, batch);
    const expectedPage = sqlite.core.pages.kind(5050, { now: NOW, retention: RETENTION });
    assert.deepEqual(await reads.pages.kindPage(5050, { now: NOW, retention: RETENTION }), expectedPage);
    assert.deepEqual(await reads.pages.dvms(undefined, undefined, NOW), sqlite.core.dvms(undefined, undefined, NOW));
    seen.push(expectedPage!.dvms.map((entry) => [entry.p50ResponseSec, entry.p90ResponseSec]).sort());
    // The collector's editor reads too and keeps its rankings: the next batch makes them stale for the viewer.
    await writes.pages.kindPage(5050, { now: NOW, retention: RETENTION });
    await writes.pages.dvms(undefined, undefined, NOW);
  }
  // The compared figures are rankings that exist and moved between the reads, not two empty answers.
  assert.deepEqual(seen, [[[10, 10], [30, 30]], [[10, 100], [30, 30]]]);
});

it('a writer\'s maintenance pass keeps the rankings that went stale, so the viewer finds them ranked', async () => {
  const [dvm, customer] = [new Actor(), new Actor()];
  const request = customer.sign(5050, [['p', dvm.pubkey], ['i', 'text', 'text']], '', T + 500);
  const batch = [request, dvm.sign(6050, [['e', request.id], ['p', customer.pubkey]], 'done', T + 520)];
  const writes = writer.openNostr(STORE_OPTIONS);
  await sqlite.core.ingest(relay, batch);
  await writes.events.ingest(relay, batch);
  const stale = async () => Number((await writer.pool.query(`SELECT
      (SELECT count(*) FROM nostr_dvm_kind_stats s LEFT JOIN nostr_dvm_kind_percentiles c ON c.dvm = s.dvm AND c.kind = s.kind
        WHERE s.kind >= 0 AND s.jobs > 0 AND c.version IS DISTINCT FROM s.xmin::text::bigint)
    + (SELECT count(*) FROM (SELECT dvm, string_agg(kind::text || ':' || xmin::text, ',' ORDER BY kind) AS version FROM nostr_dvm_kind_stats GROUP BY dvm) v
        LEFT JOIN nostr_dvm_percentiles c ON c.dvm = v.dvm WHERE c.version IS DISTINCT FROM v.version) AS n`)).rows[0].n);
  assert.ok(await stale() > 0);

  await writes.events.maintain(NOW, RETENTION);

  assert.equal(await stale(), 0);
  const reads = reader.openNostr(STORE_OPTIONS);
  assert.deepEqual(await reads.pages.kindPage(5050, { now: NOW, retention: RETENTION }), sqlite.core.pages.kind(5050, { now: NOW, retention: RETENTION }));
  assert.deepEqual(await reads.pages.dvms(undefined, undefined, NOW), sqlite.core.dvms(undefined, undefined, NOW));
});

it('the viewer\'s maintenance pass leaves retention to the writers instead of failing every minute', async () => {
  const later = NOW + 200 * 86_400; // past every window: a writer's pass would remove everything above
  const reads = reader.openNostr(STORE_OPTIONS);
  assert.deepEqual(await reads.events.maintain(later, RETENTION), { rawEvents: 0, jobs: 0, rollups: 0 });
  const { retention } = reader.openBittensor();
  assert.deepEqual(await retention.apply({ now: later, ...RETENTION, pinnedHotkeys: [] }), { neuronRows: 0, rollupRows: 0, snapshots: 0 });
  assert.equal(await retention.prunePoints(Number.MAX_SAFE_INTEGER), 0);
});

it('a collector role that may write the data tables may write, though it may not touch the migrations or debug tables', async () => {
  // A team may grant its collector writes on the tables Swarmscope keeps data in and leave the schema's bookkeeping
  // (and the table the debug fill makes) to the owner: that role writes everything a collector writes.
  await writer.debugFill(0);
  const collectorUrl = await createSelectOnlyRole(url, 'collector');
  await writer.pool.query('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO collector');
  await writer.pool.query('REVOKE INSERT, UPDATE, DELETE ON swarmscope_migrations, debug_filler FROM collector');
  const collector = await openPgStorage(collectorUrl, { listen: false });
  try {
    assert.equal(collector.readOnlyReason, undefined);
  } finally {
    await collector.close();
  }
});

it('a role that may add rows but not delete them leaves retention to the writers too, as the store said at open', async () => {
  const inserterUrl = await createSelectOnlyRole(url, 'inserter');
  await writer.pool.query('GRANT INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO inserter');
  const inserter = await openPgStorage(inserterUrl, { listen: false });
  try {
    assert.match(inserter.readOnlyReason ?? '', /role "inserter" lacks DELETE on /);
    const later = NOW + 200 * 86_400;
    assert.deepEqual(await inserter.openNostr(STORE_OPTIONS).events.maintain(later, RETENTION), { rawEvents: 0, jobs: 0, rollups: 0 });
    const { retention } = inserter.openBittensor();
    assert.deepEqual(await retention.apply({ now: later, ...RETENTION, pinnedHotkeys: [] }), { neuronRows: 0, rollupRows: 0, snapshots: 0 });
    assert.equal(await retention.prunePoints(Number.MAX_SAFE_INTEGER), 0);
  } finally {
    await inserter.close();
  }
});
