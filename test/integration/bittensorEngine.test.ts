import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { MetagraphSnapshot, NeuronRow } from '../../src/core/bittensor/model';
import { fromHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { loadRecordedRpc, recordedStateCall, startReplayNode, type ReplayNode } from '../support/replayNode';
import { ENGINE_STORES, type EngineStoreParams } from '../support/engineStores';
import { eventually } from '../support/eventually';

const HEAD = 6_852_690;

/** The recorded get_neurons_lite decoded by @polkadot/types: facts independent of the engine's decoder. */
async function referenceNeurons(): Promise<{ hotkey: string; coldkey: string; incentive: number; dividends: number; uid: number }[]> {
  const { TypeRegistry, Metadata } = await import('@polkadot/types');
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, registry.createType('Bytes', fromHex(loadRecordedRpc().metadataV15).subarray(1)).toU8a(true)));
  return registry.createType('Vec<PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite>', fromHex(recordedStateCall('metagraph', 'NeuronInfoRuntimeApi_get_neurons_lite'))).toJSON() as never;
}

for (const store of ENGINE_STORES) describe(`bittensor engine against the replay node on ${store.kind}`, () => {
  let node: ReplayNode;
  let dir: string;
  const engines: Engine[] = [];

  /** `db`: a store made by `store.create`, to reopen it; else a fresh one. */
  async function engine(options: { collect?: boolean; db?: EngineStoreParams; endpoint?: string; archive?: string; notes?: EngineNotification[] } = {}) {
    const started = await Engine.start(
      { ...(options.db ?? (await store.create())), settings: { subtensorEndpoint: options.endpoint ?? node.url, archiveEndpoint: options.archive }, collect: options.collect ?? false },
      { notify: (note) => options.notes?.push(note), log: silentLogger },
    );
    engines.push(started);
    return started;
  }

  before(async () => {
    node = await startReplayNode({ seed: 'metagraph' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-bittensor-'));
  });

  after(async () => {
    for (const running of engines) await running.dispose();
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    await store.stop();
  });

  it('takes a snapshot of netuid 1, stores it, and reads it back from its store in a second engine', async () => {
    const db = await store.create(path.join(dir, 'snapshot.db'));
    const first = await engine({ db });
    const taken = await first.call('bittensor.snapshot', { netuid: 1 });
    assert.equal(taken.block, HEAD);
    assert.equal(taken.n, 1024);
    await first.dispose();

    const second = await engine({ db, endpoint: 'ws://127.0.0.1:9' });
    const stored: MetagraphSnapshot | null = await second.call('bittensor.metagraph', { netuid: 1 });
    assert.ok(stored);
    assert.equal(stored.block, HEAD);
    assert.equal(stored.name, 'Apex');
    assert.equal(stored.neurons.length, 1024);
    assert.equal(stored.validators, 12);
    const reference = await referenceNeurons();
    for (const ref of reference) {
      const row: NeuronRow = stored.neurons[ref.uid];
      assert.equal(row.hotkey, ref.hotkey);
      assert.equal(row.coldkey, ref.coldkey);
      assert.equal(row.incentive, ref.incentive / 65_535);
      assert.equal(row.dividends, ref.dividends / 65_535);
    }
    assert.equal(await second.call('bittensor.metagraph', { netuid: 1, block: HEAD - 1 }), null);
    assert.equal(await second.call('bittensor.churn', { netuid: 1 }), null);
  });

  it('pages the stored metagraph for the views, sorted in the engine, and finds watched hotkeys', async () => {
    const running = await engine();
    const snapshot = await running.call('bittensor.snapshot', { netuid: 1 });
    const validators = await running.call('bittensor.neurons', { netuid: 1, group: 'validators', sort: 'incentive', limit: 256 });
    assert.ok(validators);
    assert.equal(validators.block, HEAD);
    assert.equal(validators.total, 12);
    const expected = snapshot.neurons.filter((neuron) => neuron.validatorPermit).sort((a, b) => b.stake - a.stake || a.uid - b.uid);
    assert.deepEqual(validators.rows.map((row) => row.uid), expected.map((row) => row.uid));

    const topByIncentive = await running.call('bittensor.neurons', { netuid: 1, group: 'uids', sort: 'incentive', limit: 5 });
    assert.ok(topByIncentive);
    assert.equal(topByIncentive.total, 1024);
    const byIncentive = [...snapshot.neurons].sort((a, b) => b.incentive - a.incentive || a.uid - b.uid).slice(0, 5);
    assert.deepEqual(topByIncentive.rows.map((row) => row.uid), byIncentive.map((row) => row.uid));
    assert.equal(await running.call('bittensor.neurons', { netuid: 2, group: 'uids', sort: 'stake', limit: 5 }), null);

    const watched = snapshot.neurons[77];
    const places = await running.call('bittensor.hotkeys', { hotkeys: [watched.hotkey, '5NotARealHotkey'] });
    assert.deepEqual(places.map((place) => [place.netuid, place.block, place.neuron.uid]), [[1, HEAD, 77]]);
  });

  it('lists netuid 1 from its snapshot when the node cannot list subnets', async () => {
    const running = await engine();
    const subnets = await running.call('bittensor.subnets', { refresh: true });
    const apex = subnets.find((subnet) => subnet.netuid === 1);
    assert.ok(apex);
    assert.deepEqual(
      [apex.name, apex.tempo, apex.uids, apex.maxUids, apex.validators, apex.maxValidators, apex.burnTao, apex.latestSnapshotBlock, apex.headBlock, apex.stale],
      ['Apex', 99, 1024, 1024, 12, 128, 0.0005, HEAD, HEAD, false],
    );
  });

  it('collects, loses the node, says so in its status, and reconnects when the node is back', async () => {
    const notes: EngineNotification[] = [];
    const running = await engine({ collect: true, notes });
    const chain = () => running.status().collectors.find((collector) => collector.name.startsWith('subtensor '));
    await eventually('the first snapshot', () => notes.some((note) => note.topic === 'bittensor.changed' && note.payload.netuids.includes(1)));
    assert.equal(chain()?.state, 'connected');
    assert.match(chain()?.detail ?? '', /head #6852690/);

    await node.stop();
    try {
      const down = await eventually('a retrying status', () => chain()?.state === 'retrying' && chain());
      assert.match(down.lastError ?? '', /lost|connect/);
      assert.match(down.detail ?? '', /reconnecting/);
    } finally {
      await node.start();
    }
    await eventually('a reconnect', () => chain()?.state === 'connected', 30_000);
    const status = await running.call('bittensor.status', {});
    assert.equal(status.headBlock, HEAD);
    assert.equal(status.lastError, null);
  });

  it('answers a query for discarded state with a clear message', async () => {
    const running = await engine();
    node.setPruned(true);
    try {
      await assert.rejects(running.call('bittensor.snapshot', { netuid: 1, block: HEAD - 5_000 }),
        /no longer has the state of block 6847690: it is a pruned \(non-archive\) node.*archiveEndpoint/s);
      await assert.rejects(running.call('bittensor.backfill', { netuid: 1, fromBlock: HEAD - 300, toBlock: HEAD, step: 100 }),
        /no longer has the state of block 6852390/);
    } finally {
      node.setPruned(false);
    }
  });

  it('backfills from an archive endpoint with progress, and cancels', async () => {
    const archive = await startReplayNode({ seed: 'metagraph', archive: true });
    try {
      const notes: EngineNotification[] = [];
      const running = await engine({ archive: archive.url, notes });
      const result = await running.call('bittensor.backfill', { netuid: 1, fromBlock: HEAD - 200, toBlock: HEAD, step: 100 });
      assert.deepEqual(result, { snapshots: 3 });
      const progress = notes.flatMap((note) => (note.topic === 'bittensor.backfillProgress' ? [note.payload] : []));
      assert.deepEqual(progress.map((p) => [p.done, p.total, p.block]), [[1, 3, HEAD - 200], [2, 3, HEAD - 100], [3, 3, HEAD]]);
      const churn = await running.call('bittensor.churn', { netuid: 1 });
      assert.deepEqual([churn?.fromBlock, churn?.toBlock, churn?.added.length, churn?.changed.length], [HEAD - 100, HEAD, 0, 0]);

      const long = running.call('bittensor.backfill', { netuid: 1, fromBlock: HEAD - 3_000, toBlock: HEAD, step: 1 });
      await eventually('backfill progress', () => notes.filter((note) => note.topic === 'bittensor.backfillProgress').length > 3);
      assert.deepEqual(await running.call('bittensor.cancelBackfill', { netuid: 1 }), { cancelled: 1 });
      await assert.rejects(long, /cancelled after \d+ of 3001 snapshots/);
    } finally {
      await archive.stop();
    }
  });

  it('prints a snapshot as JSON from the CLI', async () => {
    const cli = path.join(__dirname, '..', '..', 'src', 'cli.ts');
    const target = await store.create();
    const storeArgs = target.store ? ['--store', target.store.url] : ['--db', ':memory:'];
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'snapshot', '--netuid', '1', '--endpoint', node.url, ...storeArgs, '--json'],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const printed = JSON.parse(stdout) as { netuid: number; block: number; name: string; n: number; validators: number; coldkeys: number; neurons: Record<string, unknown>[] };
    assert.deepEqual([printed.netuid, printed.block, printed.name, printed.n, printed.validators, printed.neurons.length], [1, HEAD, 'Apex', 1024, 12, 1024]);
    for (const key of ['uid', 'hotkey', 'coldkey', 'stake', 'incentive', 'dividends', 'emission', 'validatorPermit', 'axon']) {
      assert.ok(key in printed.neurons[0], `neuron field ${key}`);
    }
    assert.equal(printed.neurons[0].hotkey, '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ');
  });
});
