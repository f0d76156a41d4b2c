import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { Engine } from '../../src/engine/engine';
import type { EngineStartParams } from '../../src/protocol/engineProtocol';
import { createSelectOnlyRole } from '../support/pgViewerRole';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/*
 * A relay cursor is the team's collectors' to keep. A collector may move one up to its own clock plus the allowed
 * skew; a viewer whose clock is behind sees it "ahead of the clock". The viewer's engine must still start and leave
 * the cursor alone: repairing it is a write its SELECT-only role may not make.
 */

let server: PostgresServer;
let writerUrl: string;
before(async () => {
  server = await startPostgres();
  writerUrl = await createDatabase(server);
});
after(async () => {
  await server?.stop();
});

function params(url: string): EngineStartParams {
  return { dbPath: undefined, store: { url, listen: false }, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:1', trackedSubnets: [] }, collect: false };
}

it('a viewer\'s engine starts beside a cursor ahead of its clock, and leaves the cursor as the collectors set it', async () => {
  // The schema, made by a writer; then a cursor an hour ahead of this computer's clock.
  await (await Engine.start(params(writerUrl), { notify: () => undefined, log: { log: () => undefined } })).dispose();
  const ahead = Math.floor(Date.now() / 1000) + 3600;
  const admin = new pg.Client({ connectionString: writerUrl });
  await admin.connect();
  try {
    await admin.query('INSERT INTO nostr_relay_cursors (relay, newest_created_at) VALUES ($1, $2)', ['wss://relay.example', ahead]);
    const viewer = await Engine.start(params(await createSelectOnlyRole(writerUrl)), { notify: () => undefined, log: { log: () => undefined } });
    await viewer.dispose();
    const { rows } = await admin.query<{ newest: string }>('SELECT newest_created_at AS newest FROM nostr_relay_cursors');
    assert.deepEqual(rows.map(({ newest }) => Number(newest)), [ahead]);
  } finally {
    await admin.end();
  }
});
