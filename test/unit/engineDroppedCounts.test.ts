import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { Actor, tampered } from '../fixtures/nostr/eventBuilders';

/** Issue 8, defect 9: what the engine dropped is kept in the database, so `status` shows it across runs. */

describe('dropped-event counters', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-dropped-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = (dbPath: string) => Engine.start({ dbPath, settings: {}, collect: false }, { notify: () => undefined, log: { log: () => undefined } });

  it('counts rejected events by reason and still shows them after the engine is restarted', async () => {
    const dbPath = path.join(dir, 'dropped.db');
    const good = new Actor().sign(5050, []);
    let engine = await open(dbPath);
    try {
      await engine.call('nostr.ingest', { events: [tampered(good, { kind: 'x' }), tampered(good, { content: 'forged' }), good] });
      assert.deepEqual(engine.status().dropped, { 'nostr:bad-id': 1, 'nostr:malformed': 1 });
    } finally {
      await engine.dispose();
    }

    engine = await open(dbPath);
    try {
      assert.deepEqual(engine.status().dropped, { 'nostr:bad-id': 1, 'nostr:malformed': 1 }, 'read back from the database');
      await engine.call('nostr.ingest', { events: ['not an event'] });
      assert.deepEqual(engine.status().dropped, { 'nostr:bad-id': 1, 'nostr:malformed': 2 }, 'and added to');
    } finally {
      await engine.dispose();
    }
  });
});
