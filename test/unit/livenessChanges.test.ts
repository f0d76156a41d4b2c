import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIVENESS } from '../../src/core/nostr/liveness';
import { livenessOf } from '../../src/core/store/sqlite/nostr/sqliteLiveness';
import { livenessChangedBetween } from '../../src/core/store/sqlite/nostr/sqliteLivenessChangesQuery';
import { AlertStateRepo } from '../../src/core/store/sqlite/state/alertStateRepo';
import { Actor, openCore } from '../fixtures/nostr/eventBuilders';

/**
 * Issue 9, item 1: a DVM's status changes with time alone (an answer leaving the up window, a request addressed to it
 * passing the silence threshold); the maintenance run names those DVMs so the views refresh their rows. Named are
 * exactly the DVMs whose status could have turned in the interval, checked against livenessOf itself.
 */

const T = 1_750_000_000;

test('names the DVM whose waiting request passed the silence threshold in the interval, and the one that left the up window', async () => {
  const kit = await openCore();
  await kit.core.ready();
  const customer = new Actor();
  const quiet = new Actor(); // answered at T, then leaves a request of T + 60 unanswered: silent from T + 660
  const gone = new Actor(); // answered at T + 100, nothing since: up until T + 3700, then unknown
  const request = (to: Actor, at: number) => customer.sign(5050, [['i', `x${at}`, 'text'], ['p', to.pubkey]], '', at);
  const first = request(quiet, T - 5);
  const second = request(gone, T + 95);
  kit.core.ingestSync(undefined, [
    first, quiet.sign(6050, [['e', first.id]], 'ok', T), request(quiet, T + 60),
    second, gone.sign(6050, [['e', second.id]], 'ok', T + 100),
  ]);
  const status = (actor: Actor, at: number) => livenessOf(kit.sql, actor.pubkey, at, DEFAULT_LIVENESS).status;
  assert.equal(status(quiet, T + 600), 'up');
  assert.equal(status(quiet, T + 700), 'silent');
  assert.deepEqual(livenessChangedBetween(kit.sql, T + 600, T + 700, DEFAULT_LIVENESS), [quiet.pubkey]);
  assert.deepEqual(livenessChangedBetween(kit.sql, T + 700, T + 800, DEFAULT_LIVENESS), [], 'nothing turned');

  assert.equal(status(gone, T + 3_650), 'up');
  assert.equal(status(gone, T + 3_750), 'unknown');
  assert.deepEqual(livenessChangedBetween(kit.sql, T + 3_650, T + 3_750, DEFAULT_LIVENESS), [gone.pubkey]);
  assert.deepEqual(livenessChangedBetween(kit.sql, T + 3_750, T + 3_650, DEFAULT_LIVENESS), [], 'an interval backwards names nobody');
  await kit.close();
});

test('the alert state repo keeps a raised alert until cleared, and lists by prefix', async () => {
  const kit = await openCore();
  const alerts = new AlertStateRepo(kit.store.db);
  assert.equal(alerts.raisedAt('nostr:silent:aa'), undefined);
  alerts.raise('nostr:silent:aa', T);
  alerts.raise('bittensor:weights:1:bb', T + 1);
  assert.equal(alerts.raisedAt('nostr:silent:aa'), T);
  assert.deepEqual(alerts.list('nostr:'), [{ key: 'nostr:silent:aa', raisedAt: T }]);
  assert.equal(alerts.clear('nostr:silent:aa'), true);
  assert.equal(alerts.clear('nostr:silent:aa'), false, 'nothing left to clear');
  assert.equal(alerts.raisedAt('nostr:silent:aa'), undefined);
  assert.deepEqual(alerts.list('nostr:'), []);
  await kit.close();
});
