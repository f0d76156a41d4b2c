import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIVENESS } from '../../src/core/nostr/liveness';
import { livenessOf } from '../../src/core/store/sqlite/nostr/sqliteLiveness';
import { livenessChangedBetween } from '../../src/core/store/sqlite/nostr/sqliteLivenessChangesQuery';
import { Actor, openCore } from '../fixtures/nostr/eventBuilders';

/**
 * Issue 12, liveness: a DVM whose newest answer (or heartbeat) is dated after the clock — its clock runs ahead, or a
 * relay passed on a future-dated event — has still shown a sign of life: it was received, so it was sent by now. The
 * bug dropped such a date, left last-seen null, and then counted every request ever addressed to the DVM as owed an
 * answer since (reading them all, and calling a live DVM silent for a request it was never going to answer years ago).
 */

const T = 1_750_000_000;
const DAY = 86_400;

async function dvmAnsweringAhead(kind: 'result' | 'heartbeat') {
  const kit = await openCore();
  await kit.core.ready();
  const customer = new Actor();
  const dvm = new Actor();
  const request = (at: number, text: string) => customer.sign(5050, [['i', text, 'text'], ['p', dvm.pubkey]], '', at);
  const ignored = request(T - 30 * DAY, 'ignored long ago');
  const answered = request(T, 'answered');
  const ahead = T + DAY; // the DVM's clock is a day ahead of ours
  kit.core.ingestSync(undefined, [
    ignored, answered,
    kind === 'result' ? dvm.sign(6050, [['e', answered.id]], 'ok', ahead) : dvm.sign(11998, [], '', ahead),
  ]);
  return { kit, dvm, ahead };
}

for (const kind of ['result', 'heartbeat'] as const) {
  test(`a ${kind} dated after the clock is a sign of life now: up, last seen now, not silent for older requests`, async () => {
    const { kit, dvm, ahead } = await dvmAnsweringAhead(kind);
    try {
      const now = T + 3_600;
      assert.deepEqual(livenessOf(kit.sql, dvm.pubkey, now, DEFAULT_LIVENESS), { status: 'up', lastSeen: now });
      // Once the clock passes the date, the date itself is the last sign of life, and the up window runs from it.
      assert.deepEqual(livenessOf(kit.sql, dvm.pubkey, ahead + 60, DEFAULT_LIVENESS), { status: 'up', lastSeen: ahead });
      assert.equal(livenessOf(kit.sql, dvm.pubkey, ahead + DEFAULT_LIVENESS.upWindowSec + 1, DEFAULT_LIVENESS).status, 'unknown');
    } finally {
      await kit.close();
    }
  });
}

test('every status turn of a DVM answering ahead of the clock falls in an interval that names it', async () => {
  const { kit, dvm, ahead } = await dvmAnsweringAhead('result');
  try {
    const step = 300;
    let before = livenessOf(kit.sql, dvm.pubkey, T, DEFAULT_LIVENESS).status;
    const turns: number[] = [];
    for (let now = T + step; now <= ahead + 2 * DEFAULT_LIVENESS.upWindowSec; now += step) {
      const after = livenessOf(kit.sql, dvm.pubkey, now, DEFAULT_LIVENESS).status;
      if (after !== before) {
        turns.push(now);
        assert.ok(livenessChangedBetween(kit.sql, now - step, now, DEFAULT_LIVENESS).includes(dvm.pubkey), `${before} → ${after} at ${now - T}`);
      }
      before = after;
    }
    assert.equal(turns.length, 1, 'up until the window after its answer closes, then unknown: one turn');
  } finally {
    await kit.close();
  }
});
