import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateSecretKey } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import { nostrModule } from '../../src/engine/nostrModule';
import { buildJobRequest } from '../support/dvmSimulator';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

// The size budget bounds one editor's embedded file. On a team's PostgreSQL server the files never shrink on
// DELETE, so a budget measured by pg_database_size would evict again on every pass until only pins were left.

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server?.stop();
});

test('an engine on PostgreSQL over the size budget keeps its data: retention windows alone decide there', async () => {
  const url = await createDatabase(server);
  const lines: string[] = [];
  const engine = await Engine.start(
    { dbPath: undefined, store: { url }, settings: { relays: [], sizeBudgetMB: 8 }, collect: false, debugMethods: true },
    { notify: () => undefined, log: { log: (_level, message) => lines.push(message) }, modules: [nostrModule] },
  );
  try {
    const secretKey = generateSecretKey();
    const requests = [1, 2, 3].map((n) => buildJobRequest({ secretKey, input: `job ${n}` }));
    const ingested = await engine.call('nostr.ingest', { events: requests });
    assert.equal(ingested.accepted, 3);
    await engine.call('engine.debugFill', { megabytes: 12 });
    // Two whole passes over the filled store, well over 8 MB: either would evict if a budget applied.
    await engine.maintain();
    await engine.maintain();
    assert.ok(engine.status().dbBytes > 12 * 1024 * 1024, 'the passes measured the filled store');
    const jobs = await engine.call('nostr.recentJobs', { limit: 10 });
    assert.deepEqual(jobs.map((job) => job.requestId).sort(), requests.map((request) => request.id).sort());
    assert.ok(!lines.some((line) => /size budget/.test(line)), lines.filter((line) => /size budget/.test(line)).join('\n'));
  } finally {
    await engine.dispose();
  }
});
