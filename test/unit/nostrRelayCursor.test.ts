import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CURSOR_CLOCK_SKEW_SECONDS } from '../../src/core/nostr/relayCursorRepair';
import { RelayCursorRepo } from '../../src/core/store/sqlite/nostr/sqliteRelayCursorRepo';
import { Actor, openCore } from '../fixtures/nostr/eventBuilders';

/** Issue 8, defect 1: the relay cursor never passes the collector's clock, whoever writes it. */

const RELAY = 'wss://relay.example';
const NOW = 1_800_000_000;

describe('relay cursors', () => {
  it('caps a cursor at the clock plus the named skew, and never moves it back', async () => {
    const kit = await openCore();
    try {
      const cursors = new RelayCursorRepo(kit.sql);
      cursors.advance(RELAY, NOW - 100, NOW);
      assert.equal(cursors.get(RELAY), NOW - 100);
      cursors.advance(RELAY, NOW + 365 * 86_400, NOW);
      assert.equal(cursors.get(RELAY), NOW + CURSOR_CLOCK_SKEW_SECONDS);
      cursors.advance(RELAY, NOW - 50, NOW);
      assert.equal(cursors.get(RELAY), NOW + CURSOR_CLOCK_SKEW_SECONDS, 'an older event does not move it back');
      // NostrCore.setCursor, the engine's writer, goes through the same cap with the real clock.
      kit.core.setCursor('wss://other.example', Number.MAX_SAFE_INTEGER);
      assert.ok(kit.core.cursor('wss://other.example')! <= Math.floor(Date.now() / 1000) + CURSOR_CLOCK_SKEW_SECONDS);
    } finally {
      await kit.close();
    }
  });

  it('ingesting events from a relay (a live batch, `ingest FILE --relay`) does not move its cursor', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const result = await kit.core.ingest(RELAY, [customer.sign(5050, [['i', 'x', 'text']], '', NOW + 86_400), customer.sign(5050, [], '', NOW)]);
      assert.equal(result.accepted, 2);
      assert.equal(kit.core.cursor(RELAY), undefined);
    } finally {
      await kit.close();
    }
  });

  it('puts a cursor found ahead of the clock back to the newest event its relay sent before the future-dated one', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const cursors = new RelayCursorRepo(kit.sql);
      const before = [customer.sign(5050, [], 'a', NOW - 300), customer.sign(5050, [], 'b', NOW - 200)];
      const future = customer.sign(5050, [], 'c', NOW + 86_400);
      const after = customer.sign(5050, [], 'd', NOW - 100); // arrived after the future-dated one
      for (const event of [...before, future, after]) await kit.core.ingest(RELAY, [event]);
      // A copy carried by a second relay counts for that relay too.
      await kit.core.ingest('wss://second.example', [before[1]]);
      cursors.advance(RELAY, future.created_at, future.created_at);
      cursors.advance('wss://second.example', future.created_at, future.created_at);
      cursors.advance('wss://empty.example', future.created_at, future.created_at);
      cursors.advance('wss://fine.example', NOW - 10, NOW);

      const repaired = cursors.repairFuture(NOW);
      assert.deepEqual(repaired.sort((a, b) => a.relay.localeCompare(b.relay)), [
        { relay: 'wss://empty.example', was: future.created_at, now: undefined },
        { relay: 'wss://relay.example', was: future.created_at, now: NOW - 200 },
        { relay: 'wss://second.example', was: future.created_at, now: NOW - 200 },
      ]);
      assert.equal(cursors.get(RELAY), NOW - 200);
      assert.equal(cursors.get('wss://empty.example'), undefined, 'with nothing stored from it, the relay gets a first backfill');
      assert.equal(cursors.get('wss://fine.example'), NOW - 10, 'a cursor behind the clock is left alone');
      assert.deepEqual(cursors.repairFuture(NOW), [], 'nothing left to repair');
    } finally {
      await kit.close();
    }
  });
});
