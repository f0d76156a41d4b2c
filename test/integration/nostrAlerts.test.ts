import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSecretKey } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import type { DvmSummary } from '../../src/protocol/nostrProtocol';
import { buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { eventually } from '../support/eventually';

/**
 * DESIGN.md "Liveness" and "a notification when their DVM stops answering": the whole engine, a real relay on
 * loopback and a simulated DVM that the test pins, lets answer, then hangs while a customer keeps sending it jobs.
 * The silence threshold is lowered from 10 min to 2 s through the module's options (not a user setting) and
 * maintenance runs every 150 ms, so a silence shows within seconds.
 */

const SILENT_AFTER_SEC = 2;
type Alert = Extract<EngineNotification, { topic: 'nostr.alert' }>['payload'];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('nostr.alert for a watched DVM that stops answering', () => {
  let relay: TestRelay;
  let dvm: DvmSimulator;
  let customer: RelayPublisher;
  let engine: Engine;
  const alerts: Alert[] = [];
  const customerKey = generateSecretKey();

  const summary = async (): Promise<DvmSummary | undefined> => (await engine.call('nostr.dvm', { pubkey: dvm.pubkey }))?.summary;
  /** Publishes one job addressed to the DVM (`p` tag) and returns its id. */
  const sendJob = async (input: string): Promise<string> => {
    const request = buildJobRequest({ secretKey: customerKey, input, dvmPubkey: dvm.pubkey });
    await customer.publish(request);
    return request.id;
  };
  /** The engine holds the DVM's result for this job. */
  const answered = (id: string) =>
    eventually(`an answer to ${id.slice(0, 8)}`, async () => {
      const trace = await engine.call('nostr.trace', { id });
      return trace?.dvms.some((entry) => entry.pubkey === dvm.pubkey && entry.status === 'result-delivered') ? true : undefined;
    });
  /** Jobs keep coming, one every `everyMs`, until `until` holds. */
  const keepSendingUntil = async (what: string, until: () => boolean, everyMs = 300): Promise<number> => {
    const deadline = Date.now() + 15_000;
    let sent = 0;
    while (!until()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} after ${sent} jobs`);
      await sendJob(`job ${sent++}`);
      await pause(everyMs);
    }
    return sent;
  };

  before(async () => {
    relay = await startRelay();
    dvm = await DvmSimulator.start({ relayUrl: relay.url, name: 'Watched DVM' });
    customer = await RelayPublisher.connect(relay.url);
    engine = await Engine.start(
      { dbPath: undefined, settings: { relays: [relay.url] }, collect: true },
      {
        notify: (notification) => {
          if (notification.topic === 'nostr.alert') alerts.push(notification.payload);
        },
        log: { log: () => undefined },
        // Only the Nostr module: no chain collector, so nothing reaches for the network.
        modules: [createNostrModule({ liveness: { silentAfterSec: SILENT_AFTER_SEC }, relayTuning: { flushMs: 20, peopleRefreshMs: 200 } })],
        maintenanceIntervalMs: 150,
      },
    );
    await eventually('the relay collector to go live', () => {
      const collector = engine.status().collectors.find((entry) => entry.name === relay.url);
      return collector?.state === 'connected' && !collector.detail?.includes('backfilling') ? true : undefined;
    });
    await engine.call('engine.pin', { domain: 'dvm', key: dvm.pubkey, pinned: true });
  });

  after(async () => {
    customer?.close();
    await dvm?.stop();
    await engine?.dispose();
    await relay?.stop();
  });

  it('stays quiet while the DVM answers, fires once when it goes silent, and again after it came back and fell silent', async () => {
    // Answering: jobs keep arriving for longer than the threshold, each answered; no alert.
    const started = Date.now();
    const answeredIds: string[] = [];
    while (Date.now() - started < (SILENT_AFTER_SEC + 1) * 1000) {
      const id = await sendJob(`answered ${answeredIds.length}`);
      await answered(id);
      answeredIds.push(id);
      await pause(300);
    }
    assert.equal((await summary())?.status, 'up', 'a DVM answering its jobs is up');
    assert.equal(alerts.length, 0, 'no alert while the DVM answers');

    // Hung: connected, subscribed, answering nothing, while jobs addressed to it keep arriving.
    dvm.answering = false;
    await keepSendingUntil('the silence alert', () => alerts.length > 0);
    assert.ok(dvm.ignored.length > 0, 'the DVM really left jobs unanswered');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].pubkey, dvm.pubkey);
    assert.equal(alerts[0].name, 'Watched DVM', 'named from its NIP-89 announcement');
    assert.match(alerts[0].message, /^Watched DVM has not answered a job addressed to it for \d+ s$/);
    assert.equal((await summary())?.status, 'silent', 'the DVM summary agrees with the alert');

    // Still silent, still receiving jobs, through many more maintenance runs: one alert per silence.
    const more = Date.now();
    await keepSendingUntil('a few more maintenance runs', () => Date.now() - more > 1_000);
    assert.equal(alerts.length, 1, 'a continuing silence is not announced again');

    // Back: it answers a new job, is up again, and a later silence raises a new alert.
    dvm.answering = true;
    await answered(await sendJob('back again'));
    await eventually('the DVM up again', async () => ((await summary())?.status === 'up' ? true : undefined));
    assert.equal(alerts.length, 1);
    dvm.answering = false;
    await keepSendingUntil('the second silence alert', () => alerts.length > 1);
    assert.equal(alerts.length, 2);
    assert.equal(alerts[1].pubkey, dvm.pubkey);
  });

  it('does not alert for a DVM that is silent but not watched', async () => {
    const other = await DvmSimulator.start({ relayUrl: relay.url, name: 'Unwatched DVM' });
    try {
      other.answering = false;
      const before = alerts.length;
      const request = buildJobRequest({ secretKey: customerKey, input: 'anyone?', dvmPubkey: other.pubkey });
      await customer.publish(request);
      await eventually('the unwatched DVM to count as silent', async () =>
        (await engine.call('nostr.dvm', { pubkey: other.pubkey }))?.summary.status === 'silent' ? true : undefined);
      await pause(500); // several maintenance runs after the silence began
      assert.equal(alerts.filter((alert) => alert.pubkey === other.pubkey).length, 0);
      assert.equal(alerts.length, before);
    } finally {
      await other.stop();
    }
  });
});
