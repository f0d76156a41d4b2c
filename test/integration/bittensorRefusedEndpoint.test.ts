import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RawSettings } from '../../src/core/config/settings';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import type { CollectorStatus, EngineNotification, EngineStatus } from '../../src/protocol/engineProtocol';
import { runCli } from '../support/cliRun';
import { eventually } from '../support/eventually';
import { startReplayNode, type ReplayNode } from '../support/replayNode';

const HEAD = 6_852_690;

/**
 * An endpoint the user gave that is not ws:// or wss:// is an error, never swapped for the public finney node: the
 * chain collector stays stopped and says which setting to fix; the CLI exits 2 naming the flag.
 */
describe('a bad chain endpoint is refused, not replaced', () => {
  let node: ReplayNode;
  let archive: ReplayNode;
  const engines: Engine[] = [];

  before(async () => {
    node = await startReplayNode({ seed: 'metagraph' });
    archive = await startReplayNode({ seed: 'metagraph', archive: true });
  });

  after(async () => {
    for (const engine of engines) await engine.dispose();
    await node.stop();
    await archive.stop();
  });

  const chainCollector = (status: EngineStatus): CollectorStatus | undefined => status.collectors.find((collector) => collector.name.startsWith('subtensor'));
  const lastStatus = (notes: EngineNotification[]): EngineStatus | undefined =>
    notes.flatMap((note) => (note.topic === 'engine.status' ? [note.payload] : [])).at(-1);

  it('keeps the chain collector stopped, naming the setting, until the setting is fixed', async () => {
    const notes: EngineNotification[] = [];
    const settings: RawSettings = { relays: [], trackedSubnets: [1], subtensorEndpoint: `http://127.0.0.1:${node.port}` };
    const engine = await Engine.start({ dbPath: undefined, settings, collect: true }, { notify: (note) => notes.push(note), log: silentLogger });
    engines.push(engine);

    // What the status bar and the Health view are given: the setting error, and the collector stopped because of it.
    const published = lastStatus(notes);
    assert.ok(published);
    assert.deepEqual(published.settingErrors.map((error) => error.key), ['swarmscope.bittensor.endpoint']);
    const chain = chainCollector(published);
    assert.equal(chain?.state, 'error');
    assert.equal(chain?.lastError, 'stopped: swarmscope.bittensor.endpoint is not a ws:// or wss:// URL (no other endpoint is used in its place)');
    assert.doesNotMatch(JSON.stringify(published.collectors), /finney|opentensor/);
    const status = await engine.call('bittensor.status', {});
    assert.deepEqual([status.state, status.endpoint, status.headBlock], ['stopped', '', null]);

    await assert.rejects(engine.call('bittensor.snapshot', { netuid: 1 }), /the chain is not read: swarmscope\.bittensor\.endpoint is not a ws:\/\/ or wss:\/\/ URL/);
    await assert.rejects(engine.call('bittensor.subnets', { refresh: true }), /swarmscope\.bittensor\.endpoint/);
    assert.deepEqual(await engine.call('bittensor.subnets', {}), [], 'the trees still get an answer from the store');
    assert.equal(node.requests.length, 0);

    // Fixed: the collector starts on the user's node and snapshots the tracked subnet.
    assert.deepEqual((await engine.call('engine.configure', { settings: { ...settings, subtensorEndpoint: node.url } })).errors, []);
    await eventually('a snapshot from the fixed endpoint', () => notes.some((note) => note.topic === 'bittensor.changed' && note.payload.netuids.includes(1)));
    assert.equal(chainCollector(engine.status())?.state, 'connected');
    assert.equal(chainCollector(engine.status())?.name, `subtensor ${node.url}`);

    // A bad archive endpoint stops the chain too: past blocks must not quietly come from another node.
    await engine.call('engine.configure', { settings: { ...settings, subtensorEndpoint: node.url, archiveEndpoint: 'https://archive.example' } });
    const stopped = chainCollector(lastStatus(notes)!);
    assert.equal(stopped?.state, 'error');
    assert.match(stopped?.lastError ?? '', /^stopped: swarmscope\.bittensor\.archiveEndpoint is not a ws:\/\/ or wss:\/\/ URL/);
    await assert.rejects(engine.call('bittensor.snapshot', { netuid: 1, block: HEAD - 100 }), /swarmscope\.bittensor\.archiveEndpoint/);

    await engine.call('engine.configure', { settings: { ...settings, subtensorEndpoint: node.url, archiveEndpoint: archive.url } });
    await eventually('the collector back on the user\'s node', () => chainCollector(engine.status())?.state === 'connected');
    assert.equal((await engine.call('bittensor.snapshot', { netuid: 1, block: HEAD - 100 })).block, HEAD - 100);
    // Done with it: its client's keepalive (system_health every few seconds) would reach the node during the CLI checks below.
    await engine.dispose();
  });

  it('CLI: an endpoint flag that is not ws:// or wss:// exits 2 naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['snapshot', '--netuid', '1', '--endpoint', `http://127.0.0.1:${node.port}`], /--endpoint "http:\/\/127\.0\.0\.1:\d+" is not a ws:\/\/ or wss:\/\/ URL/],
      [['subnets', '--endpoint', ''], /--endpoint "" is not a ws:\/\/ or wss:\/\/ URL/],
      [['weights', '--netuid', '1', '--endpoint', node.url, '--archive', 'https://archive.example', '--block', '5'], /--archive "https:\/\/archive\.example" is not a ws:\/\/ or wss:\/\/ URL/],
    ];
    const asked = node.requests.length;
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runCli([...args, '--db', ':memory:']);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, message);
      assert.equal(stdout, '');
    }
    assert.equal(node.requests.length, asked, 'no command reached the node');
  });

  it('CLI: --archive alone serves --block reads (it is not dropped for want of --endpoint)', async () => {
    const { code, stdout, stderr } = await runCli(['snapshot', '--netuid', '1', '--block', String(HEAD - 100), '--archive', archive.url, '--db', ':memory:', '--json']);
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { block: number }).block, HEAD - 100);
    assert.ok(archive.requests.some((request) => request.method === 'state_call'), 'the archive node answered the reads');
  });
});
