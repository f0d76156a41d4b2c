import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPgStorage } from '../../src/core/store/postgres/pgStorage';
import { Engine } from '../../src/engine/engine';
import { EngineStateView } from '../../src/engine/engineStateView';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/*
 * Pins are shared on a team store (issue 14), and now announced too: a DVM or hotkey one editor's engine starts or
 * stops watching reaches every other engine on the same PostgreSQL database without a restart (its pins, which
 * retention and the alerts read, and `engine.pinsChanged` for its Watched view), through NOTIFY in the pin's own
 * transaction; and pins written while an engine's change feed was down are read again once it is back.
 */

// A dead loopback port keeps the engines' chain collectors off the network.
const OFFLINE_CHAIN = 'ws://127.0.0.1:1';
const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

interface Editor {
  readonly engine: Engine;
  readonly notifications: EngineNotification[];
}

async function startEditor(url: string): Promise<Editor> {
  const notifications: EngineNotification[] = [];
  const engine = await Engine.start(
    { dbPath: undefined, store: { url }, settings: { relays: [], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [] }, collect: false },
    { notify: (notification) => notifications.push(notification), log: { log: () => undefined } },
  );
  return { engine, notifications };
}

async function pinKeys(editor: Editor): Promise<string[]> {
  return (await editor.engine.call('engine.pins', {})).map((pin) => `${pin.domain}:${pin.key}:${pin.label ?? ''}`);
}

function told(editor: Editor, payload: { domain: 'dvm' | 'hotkey'; key: string; pinned: boolean }): boolean {
  return editor.notifications.some((n) => n.topic === 'engine.pinsChanged' && n.payload.domain === payload.domain && n.payload.key === payload.key && n.payload.pinned === payload.pinned);
}

describe('team store: pins made by one editor reach the others live', () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it('a watch added or removed in engine A is in engine B\'s pins, and B tells its views, without a restart', async () => {
    const url = await createDatabase(server);
    const a = await startEditor(url);
    const b = await startEditor(url);
    try {
      const dvm = new Actor().pubkey;
      await a.engine.call('engine.pin', { domain: 'dvm', key: dvm, label: 'Echo', pinned: true });
      await eventually('B watches the DVM A pinned', async () => (await pinKeys(b)).includes(`dvm:${dvm}:Echo`));
      await eventually('B told its views', () => told(b, { domain: 'dvm', key: dvm, pinned: true }));

      // Either way round, and for hotkeys too.
      await b.engine.call('engine.pin', { domain: 'hotkey', key: HOTKEY, pinned: true });
      await eventually('A watches the hotkey B pinned', async () => (await pinKeys(a)).includes(`hotkey:${HOTKEY}:`));
      await eventually('A told its views', () => told(a, { domain: 'hotkey', key: HOTKEY, pinned: true }));

      await a.engine.call('engine.pin', { domain: 'dvm', key: dvm, pinned: false });
      await eventually('B no longer watches the DVM A unpinned', async () => !(await pinKeys(b)).some((pin) => pin.startsWith(`dvm:${dvm}`)));
      await eventually('B told its views of the unpin', () => told(b, { domain: 'dvm', key: dvm, pinned: false }));
      assert.deepEqual(await pinKeys(a), await pinKeys(b), 'both engines hold the same pins');
      // An engine's own pin is told once, by its own handler, not again when its notice comes round. Notices reach
      // A's feed in commit order, so once A has B's later pin, A's feed has already taken the echo of A's own unpin.
      const barrier = new Actor().pubkey;
      await b.engine.call('engine.pin', { domain: 'dvm', key: barrier, pinned: true });
      await eventually('A watches the DVM B pinned after A\'s unpin', async () => (await pinKeys(a)).includes(`dvm:${barrier}:`));
      await eventually('A told its views of it', () => told(a, { domain: 'dvm', key: barrier, pinned: true }));
      assert.equal(a.notifications.filter((n) => n.topic === 'engine.pinsChanged' && n.payload.key === dvm).length, 2);
    } finally {
      await a.engine.dispose();
      await b.engine.dispose();
    }
  });

  it('pins written while an engine\'s change feed was down are read again when it is back', async () => {
    const url = await createDatabase(server);
    const b = await startEditor(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const dvm = new Actor().pubkey;
      // Written with no notice at all, as one lost with the feed's connection would be.
      await admin.query('INSERT INTO pins (domain, key, label, created_at) VALUES ($1, $2, NULL, $3)', ['dvm', dvm, Math.floor(Date.now() / 1000)]);
      const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'swarmscope/%' AND query LIKE 'LISTEN%' AND datname = current_database()");
      assert.equal(cut.rowCount, 1, 'the engine listens on one connection');
      await eventually('B reads the pins again once its feed is back', async () => (await pinKeys(b)).includes(`dvm:${dvm}:`));
      await eventually('and tells its views', () => told(b, { domain: 'dvm', key: dvm, pinned: true }));
    } finally {
      await admin.end();
      await b.engine.dispose();
    }
  });

  it('a reload keeps a pin given here while it read the store, and names only what the other engine changed', async () => {
    const url = await createDatabase(server);
    const mine = await openPgStorage(url, { listen: false });
    const theirs = await openPgStorage(url, { listen: false });
    try {
      const view = await EngineStateView.load(mine.engineState, { log: { log: () => undefined }, markDirty: () => undefined });
      const [local, remote] = [new Actor().pubkey, new Actor().pubkey];
      await theirs.engineState.pins.add('dvm', remote, 'Theirs');
      const reloading = view.reloadPins();
      // Given after the reload's read was queued: that read cannot hold it, its write comes behind it.
      view.pins.add('dvm', local, 'Mine');
      const changes = await reloading;
      assert.deepEqual(changes, [{ domain: 'dvm', key: remote, pinned: true }]);
      assert.ok(view.pins.list('dvm').some((pin) => pin.key === local), 'the pin given meanwhile is still held');
      assert.deepEqual(view.pins.list().map((pin) => pin.label).sort(), ['Mine', 'Theirs']);

      await theirs.engineState.pins.remove('dvm', remote);
      assert.deepEqual(await view.reloadPins(), [{ domain: 'dvm', key: remote, pinned: false }]);
      assert.deepEqual(await view.reloadPins(), [], 'nothing changed since');
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});
