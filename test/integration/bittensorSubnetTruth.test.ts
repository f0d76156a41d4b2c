import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RawSettings } from '../../src/core/config/settings';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { FINNEY_GENESIS, recordedMetagraphSnapshot, startReplayNode, type ReplayNode } from '../support/replayNode';

/**
 * What the Subnets view is told (issue 9), from the engine against replay nodes: how a subnet-list read went (all, in
 * part, not at all), that another chain's rows are kept but not current, and that a watched hotkey's ongoing
 * condition is announced once across an engine restart.
 */

const HEAD = 6_852_690;
const TESTNET = `0x${'7e57'.repeat(16)}`;
const stale = recordedMetagraphSnapshot().neurons.find((neuron) => neuron.uid === 395)!;

describe('subnet list outcome, chain changes and alert memory', () => {
  let dir: string;
  // The recorded subnet list (get_subnets_info_v2, 129 subnets) and netuid 1's metagraph from one finney node;
  // get_all_dynamic_info was never recorded, so the list is read in part.
  let finney: ReplayNode;
  // Netuid 1's metagraph alone, on another chain: no subnet list at all.
  let testnet: ReplayNode;
  const engines: Engine[] = [];

  async function engine(settings: RawSettings, options: { db?: string; notes?: EngineNotification[] } = {}) {
    const started = await Engine.start({ dbPath: options.db, settings: { relays: [], ...settings }, collect: false },
      { notify: (note) => options.notes?.push(note), log: silentLogger });
    engines.push(started);
    return started;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-subnet-truth-'));
    finney = await startReplayNode({ seed: 'metagraph', alsoFrom: ['get_all_subnets_info'] });
    testnet = await startReplayNode({ seed: 'metagraph', genesisHash: TESTNET });
  });

  after(async () => {
    for (const running of engines) await running.dispose();
    await finney.stop();
    await testnet.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says when the subnet list was read only in part, and what failed', async () => {
    const running = await engine({ subtensorEndpoint: finney.url, trackedSubnets: [] });
    assert.equal((await running.call('bittensor.listStatus', {})).outcome, 'not-read');
    const subnets = await running.call('bittensor.subnets', { refresh: true });
    assert.equal(subnets.length, 129);
    const status = await running.call('bittensor.listStatus', {});
    assert.equal(status.outcome, 'partial');
    assert.equal(status.endpoint, finney.url);
    assert.equal(status.genesis, FINNEY_GENESIS);
    assert.equal(status.problems.length, 1);
    assert.match(status.problems[0], /^SubnetInfoRuntimeApi_get_all_dynamic_info: /);
  });

  it('says when the node gave no subnet list, while tracked subnets still come from their snapshots', async () => {
    const running = await engine({ subtensorEndpoint: testnet.url, trackedSubnets: [1] });
    const subnets = await running.call('bittensor.subnets', { refresh: true });
    assert.deepEqual(subnets.map((subnet) => [subnet.netuid, subnet.latestSnapshotBlock]), [[1, HEAD]]);
    const status = await running.call('bittensor.listStatus', {});
    assert.equal(status.outcome, 'failed');
    assert.match(status.problems[0], /no subnet list from ws:\/\/127\.0\.0\.1:\d+/);
  });

  it('keeps the old chain\'s rows out of the list once the endpoint is on another chain, and shows them again back on it', async () => {
    const db = path.join(dir, 'chains.db');
    const running = await engine({ subtensorEndpoint: finney.url, trackedSubnets: [1] }, { db });
    await running.call('bittensor.snapshot', { netuid: 1 });
    assert.equal((await running.call('bittensor.subnets', { refresh: true })).length, 129);

    await running.call('engine.configure', { settings: { relays: [], subtensorEndpoint: testnet.url, trackedSubnets: [] } });
    const onTestnet = await running.call('bittensor.subnets', { refresh: true });
    assert.deepEqual(onTestnet, [], 'no finney subnet passes for the testnet\'s');
    const status = await running.call('bittensor.listStatus', {});
    assert.deepEqual([status.outcome, status.genesis, status.otherChains], ['failed', TESTNET, { subnets: 129, genesis: [FINNEY_GENESIS] }]);
    assert.equal(await running.call('bittensor.neurons', { netuid: 1, group: 'uids', sort: 'stake', limit: 5 }), null);
    assert.deepEqual(await running.call('bittensor.hotkeys', { hotkeys: [stale.hotkey] }), []);

    await running.call('engine.configure', { settings: { relays: [], subtensorEndpoint: finney.url, trackedSubnets: [1] } });
    const back = await running.call('bittensor.subnets', { refresh: true });
    assert.equal(back.length, 129);
    assert.equal(back.find((subnet) => subnet.netuid === 1)?.latestSnapshotBlock, HEAD);
    assert.deepEqual((await running.call('bittensor.listStatus', {})).otherChains, { subnets: 0, genesis: [] });
  });

  it('announces a watched validator\'s stale weights once, not again after an engine restart', async () => {
    const db = path.join(dir, 'alerts.db');
    const alerts = (notes: EngineNotification[]) => notes.flatMap((note) => (note.topic === 'bittensor.alert' ? [note.payload] : []));
    const notes: EngineNotification[] = [];
    const first = await engine({ subtensorEndpoint: finney.url, trackedSubnets: [1] }, { db, notes });
    await first.call('engine.pin', { domain: 'hotkey', key: stale.hotkey, label: 'SN1 UID 395', pinned: true });
    await first.call('bittensor.snapshot', { netuid: 1 });
    assert.deepEqual(alerts(notes).map((alert) => [alert.kind, alert.hotkey]), [['weights-stale', stale.hotkey]]);
    assert.match(alerts(notes)[0].message, /UID 395\) on subnet 1 last set weights \d+ blocks ago/);
    await first.call('bittensor.snapshot', { netuid: 1 });
    assert.equal(alerts(notes).length, 1, 'not twice from one engine');
    await first.dispose();

    const after: EngineNotification[] = [];
    const second = await engine({ subtensorEndpoint: finney.url, trackedSubnets: [1] }, { db, notes: after });
    await second.call('bittensor.snapshot', { netuid: 1 });
    assert.deepEqual(alerts(after), [], 'the restarted engine remembers it was told');
  });
});
