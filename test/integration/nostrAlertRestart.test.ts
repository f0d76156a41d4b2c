import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';

/**
 * Issue 9, item 8 (Nostr): a watched DVM's silence is announced once, also across an engine restart on the same
 * database (the Restart Engine command, a new window taking over): the alert state is in the database. A silence that
 * ended re-arms the alert, after a restart too. The engine runs without collectors; time is the `now` of maintain().
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-alert-restart-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const NOW = Math.floor(Date.now() / 1000);
const dvm = new Actor();
const customer = new Actor();

async function startEngine(dbPath: string, alerts: string[], logs: string[]): Promise<Engine> {
  return Engine.start({ dbPath, settings: { relays: [] }, collect: false }, {
    notify: (notification: EngineNotification) => {
      if (notification.topic === 'nostr.alert') alerts.push(notification.payload.message);
    },
    log: { log: (level, message) => logs.push(`${level}: ${message}`) },
    modules: [createNostrModule()],
  });
}

/** A job the DVM answered at `answeredAt`, and one addressed to it at `waitingSince` that it never answered. */
function silentDvmEvents(answeredAt: number, waitingSince: number): unknown[] {
  const answered = customer.sign(5050, [['i', 'first', 'text'], ['p', dvm.pubkey]], '', answeredAt - 5);
  const result = dvm.sign(6050, [['e', answered.id], ['p', customer.pubkey]], 'done', answeredAt);
  const waiting = customer.sign(5050, [['i', 'second', 'text'], ['p', dvm.pubkey]], '', waitingSince);
  return [answered, result, waiting];
}

test('a silence announced before a restart is not announced again after it; a new silence after an answer is', async () => {
  const dbPath = path.join(dir, 'silence.db');
  const alerts: string[] = [];
  const logs: string[] = [];
  const first = await startEngine(dbPath, alerts, logs);
  await first.call('nostr.ingest', { events: silentDvmEvents(NOW - 3_600, NOW - 1_200) });
  await first.call('engine.pin', { domain: 'dvm', key: dvm.pubkey, label: 'Quiet DVM', pinned: true });
  await first.maintain(NOW);
  await first.maintain(NOW + 60);
  assert.equal(alerts.length, 1, alerts.join('\n'));
  assert.match(alerts[0], /^Quiet DVM has not answered a job addressed to it for 20 min$/);
  await first.dispose();

  const second = await startEngine(dbPath, alerts, logs);
  await second.maintain(NOW + 120);
  assert.equal(alerts.length, 1, `announced again after the restart: ${alerts.join('\n')}`);
  assert.ok(logs.some((line) => /^info: Quiet DVM is still silent; its silence was announced at .* and is not announced again$/.test(line)), logs.join('\n'));

  // It answers the waiting job (and so is up), then ignores another one: a new silence, announced once.
  const waitingId = (await second.call('nostr.dvm', { pubkey: dvm.pubkey, now: NOW + 130 }))?.recentJobs.find((job) => job.status === 'waiting')?.requestId;
  assert.ok(waitingId, 'the waiting job is listed');
  await second.call('nostr.ingest', { events: [dvm.sign(6050, [['e', waitingId], ['p', customer.pubkey]], 'late', NOW + 130)] });
  await second.maintain(NOW + 140);
  await second.call('nostr.ingest', { events: [customer.sign(5050, [['i', 'third', 'text'], ['p', dvm.pubkey]], '', NOW + 150)] });
  await second.dispose();

  const third = await startEngine(dbPath, alerts, logs);
  await third.maintain(NOW + 150 + 11 * 60);
  assert.equal(alerts.length, 2, alerts.join('\n'));
  assert.match(alerts[1], /^Quiet DVM has not answered a job addressed to it for 11 min$/);
  await third.dispose();
});
