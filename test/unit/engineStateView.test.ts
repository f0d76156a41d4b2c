import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteStorage } from '../../src/core/store/sqlite/sqliteStorage';
import { EngineStateView } from '../../src/engine/engineStateView';

/**
 * Issue 14: the engine keeps pins, alerts and dropped counts in memory (modules ask them synchronously) and writes
 * them through to the storage in the order made; the storage holds the same state afterwards, and a write the
 * storage refuses is logged, not lost silently.
 */
test('pins, alerts and dropped counts answer from memory at once and reach the storage in order', async () => {
  const { storage } = await SqliteStorage.open({ path: undefined });
  const logged: string[] = [];
  let dirty = 0;
  const view = await EngineStateView.load(storage.engineState, { log: { log: (level, message) => logged.push(`${level}: ${message}`) }, markDirty: () => dirty++ });
  try {
    view.pins.add('dvm', 'a', 'First');
    view.pins.add('hotkey', 'h');
    view.pins.add('dvm', 'b');
    view.pins.remove('dvm', 'a');
    view.pins.add('dvm', 'a', 'Again');
    view.alerts.raise('nostr:silent:b', 100);
    view.alerts.raise('bittensor:x', 200);
    assert.equal(view.alerts.clear('bittensor:x'), true);
    assert.equal(view.alerts.clear('bittensor:x'), false, 'already cleared');
    view.dropped.add('nostr:bad-id', 2);
    view.dropped.add('nostr:bad-id', 1);
    view.dropped.add('relay:bad frame', 0);

    // Synchronous answers, before any write reached the storage. (Pin order is by creation second: compared as sets,
    // since the view and the store each stamp the second they see.)
    const pinText = (pins: readonly { domain: string; key: string; label?: string }[]) => pins.map((pin) => `${pin.domain}:${pin.key}:${pin.label ?? ''}`).sort();
    assert.deepEqual(pinText(view.pins.list('dvm')), ['dvm:a:Again', 'dvm:b:']);
    assert.deepEqual(pinText(view.pins.list('hotkey')), ['hotkey:h:']);
    assert.equal(view.alerts.raisedAt('nostr:silent:b'), 100);
    assert.deepEqual(view.alerts.list('nostr:'), [{ key: 'nostr:silent:b', raisedAt: 100 }]);
    assert.deepEqual(view.dropped.all(), { 'nostr:bad-id': 3 });

    await view.settled();
    const state = storage.engineState;
    assert.deepEqual(pinText(await state.pins.list()), pinText(view.pins.list()), 'the store holds the pins the view shows');
    assert.deepEqual(await state.alerts.list(''), [{ key: 'nostr:silent:b', raisedAt: 100 }]);
    assert.deepEqual(await state.dropped.all(), { 'nostr:bad-id': 3 });
    assert.ok(dirty > 0, 'each write marks the storage dirty');

    // A second view reads back what the first wrote (an engine restart).
    const again = await EngineStateView.load(state, { log: { log: () => undefined }, markDirty: () => undefined });
    assert.deepEqual(pinText(again.pins.list()), ['dvm:a:Again', 'dvm:b:', 'hotkey:h:'], 'read back as they were');
    assert.equal(again.alerts.raisedAt('nostr:silent:b'), 100);
    assert.deepEqual(again.dropped.all(), { 'nostr:bad-id': 3 });
  } finally {
    await storage.close();
  }
  // The storage is gone: the write fails, and says so.
  view.pins.add('dvm', 'late');
  await view.settled();
  assert.ok(logged.some((line) => /^error: could not save a pin: /.test(line)), logged.join('\n'));
});
