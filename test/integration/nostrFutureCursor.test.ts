import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey, type Event } from 'nostr-tools/pure';
import { NostrCore } from '../../src/core/store/sqlite/nostr/nostrCore';
import { nostrMigrations } from '../../src/core/store/sqlite/nostr/nostrMigrations';
import { PreparedStatements } from '../../src/core/store/sqlite/nostr/preparedStatements';
import { RelayCursorRepo } from '../../src/core/store/sqlite/nostr/sqliteRelayCursorRepo';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { FAST_TUNING } from '../support/relayCollectorHarness';

/**
 * Issue 8, defect 1: anyone can publish a validly signed event dated in the future. It must not move the relay's
 * backfill cursor past the collector's clock, or every event published while the collector is away is skipped.
 * The whole engine (collector → ingest → cursor in the store) against a loopback relay, across a relay restart and
 * an engine restart on the same database file.
 */

const customer = generateSecretKey();
const unixNow = () => Math.floor(Date.now() / 1000);
let serial = 0;

function jobEvent(createdAt: number): Event {
  return finalizeEvent({ kind: 5050, created_at: createdAt, tags: [['i', `prompt ${serial}`, 'text']], content: `job ${serial++}` }, customer);
}

describe('a future-dated event and the relay cursor', () => {
  let relay: TestRelay;
  let dir: string;
  const logged: string[] = [];
  const startEngine = (dbPath: string) =>
    Engine.start(
      { dbPath, settings: { relays: [relay.url], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: true },
      { notify: () => undefined, log: { log: (level, message) => logged.push(`${level}: ${message}`) }, modules: [createNostrModule({ relayTuning: FAST_TUNING })] },
    );
  const stored = async (engine: Engine, events: readonly Event[]) => {
    for (const event of events) if (!(await engine.call('nostr.event', { id: event.id }))) return false;
    return true;
  };
  const live = (engine: Engine) => {
    const collector = engine.status().collectors.find((entry) => entry.name === relay.url);
    return collector?.state === 'connected' && !collector.detail?.includes('backfilling');
  };

  before(async () => {
    relay = await startRelay();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-cursor-'));
  });
  after(async () => {
    await relay.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores every event published after a future-dated one, across a relay restart and an engine restart', async () => {
    const dbPath = path.join(dir, 'future.db');
    const now = unixNow();
    const fromTheFuture = jobEvent(now + 365 * 86_400);
    const first = jobEvent(now - 2);
    await relay.inject(fromTheFuture);
    await relay.inject(first);

    let engine = await startEngine(dbPath);
    try {
      await eventually('both first events stored', () => stored(engine, [fromTheFuture, first]));
      await eventually('the collector live after its backfill', () => live(engine));

      // Published while the relay is away: a few seconds old by the time the collector is back.
      const whileRelayDown = [jobEvent(unixNow() - 5), jobEvent(unixNow() - 3)];
      await relay.restart(async (inject) => {
        await eventually('the collector to notice the relay is gone', () => !live(engine));
        for (const event of whileRelayDown) await inject(event);
      });
      await eventually('the events published while the relay was down', () => stored(engine, whileRelayDown));
      await eventually('the collector live again', () => live(engine));
    } finally {
      await engine.dispose();
    }

    // Published while Swarmscope is closed; the cursor read back from the database must still reach them.
    const whileEngineDown = [jobEvent(unixNow() - 4), jobEvent(unixNow() - 1)];
    for (const event of whileEngineDown) await relay.inject(event);
    engine = await startEngine(dbPath);
    try {
      await eventually('the events published while the engine was down', () => stored(engine, whileEngineDown));
    } finally {
      await engine.dispose();
    }
  });

  it('puts back a cursor found ahead of the clock at start, says so in the log, and fetches what it skipped', async () => {
    const dbPath = path.join(dir, 'poisoned.db');
    const now = unixNow();
    const before = jobEvent(now - 100);
    const fromTheFuture = jobEvent(now + 30 * 86_400);
    // A database left by a version that did not cap cursors: the future-dated event moved the cursor a month ahead.
    const { store } = await Store.open({ path: dbPath, migrations: [...coreMigrations, ...nostrMigrations] });
    const core = new NostrCore({ db: store.db, excludedKinds: () => [], countDropped: () => undefined, pinnedDvms: () => new Set() });
    await core.ingest(relay.url, [before, fromTheFuture]);
    // Written as a collector did before cursors were capped (`now` is the future event's own date).
    const sql = new PreparedStatements(store.db);
    new RelayCursorRepo(sql).advance(relay.url, fromTheFuture.created_at, fromTheFuture.created_at);
    sql.dispose();
    core.dispose();
    await store.flush();
    await store.close();

    const skipped = [jobEvent(now - 60), jobEvent(now - 30)];
    for (const event of [before, fromTheFuture, ...skipped]) await relay.inject(event);
    logged.length = 0;
    const engine = await startEngine(dbPath);
    try {
      const repairLine = logged.find((line) => line.includes(relay.url) && line.includes('ahead of this computer\'s clock'));
      assert.ok(repairLine, `the repair is in the log (saw: ${logged.join(' | ')})`);
      assert.match(repairLine, /^warn: /);
      assert.ok(repairLine.includes(new Date(before.created_at * 1000).toISOString()), 'put back to the newest event before the future-dated one');
      await eventually('the events the poisoned cursor had skipped', () => stored(engine, skipped));
    } finally {
      await engine.dispose();
    }
  });
});
