import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import { runCli } from '../support/cliRun';
import { startReplayNode, type ReplayNode } from '../support/replayNode';

const HEAD = 6_852_690;

/**
 * A block asked for is one the chain can have (0 ≤ block ≤ head), and what is stored under a block number is that
 * block's: the hash a node names for a number must have a header with that number, or nothing is read at it.
 */
describe('bittensor block checks against the replay node', () => {
  let node: ReplayNode;
  let inconsistent: ReplayNode;
  const engines: Engine[] = [];

  async function engineOn(endpoint: string, archive?: string) {
    const engine = await Engine.start(
      { dbPath: undefined, settings: { subtensorEndpoint: endpoint, archiveEndpoint: archive, relays: [] }, collect: false },
      { notify: () => undefined, log: silentLogger },
    );
    engines.push(engine);
    return engine;
  }

  before(async () => {
    // archive: every past block is served (with the head's state), so only the block checks can refuse one.
    node = await startReplayNode({ seed: 'metagraph', archive: true });
    inconsistent = await startReplayNode({ seed: 'metagraph', archive: true, inconsistent: true });
  });

  after(async () => {
    for (const engine of engines) await engine.dispose();
    await node.stop();
    await inconsistent.stop();
  });

  it('refuses a negative block before asking the node', async () => {
    const engine = await engineOn(node.url);
    const asked = node.requests.length;
    await assert.rejects(engine.call('bittensor.snapshot', { netuid: 1, block: -1 }), /block -1 is not a block number \(an integer, 0 or more\)/);
    await assert.rejects(engine.call('bittensor.weights', { netuid: 1, block: -7 }), /block -7 is not a block number/);
    assert.equal(node.requests.slice(asked).filter((request) => request.method === 'chain_getBlockHash' && request.params.length > 0).length, 0);
    assert.equal(await engine.call('bittensor.metagraph', { netuid: 1 }), null);
  });

  it('refuses a block beyond the node\'s head, naming the head', async () => {
    const engine = await engineOn(node.url);
    await assert.rejects(engine.call('bittensor.snapshot', { netuid: 1, block: HEAD + 10 }),
      new RegExp(`block ${HEAD + 10} is in the future: the head of ${node.url} is block ${HEAD}`));
    await assert.rejects(engine.call('bittensor.backfill', { netuid: 1, fromBlock: HEAD - 100, toBlock: HEAD + 100, step: 100 }), /is in the future/);
    const stored = await engine.call('bittensor.metagraph', { netuid: 1, block: HEAD + 100 });
    assert.notEqual(stored?.block, HEAD + 100, 'nothing is stored under a future block');
  });

  it('reads the head and a past block from a consistent node', async () => {
    const engine = await engineOn(node.url);
    assert.equal((await engine.call('bittensor.snapshot', { netuid: 1, block: HEAD - 100 })).block, HEAD - 100);
    assert.equal((await engine.call('bittensor.snapshot', { netuid: 1 })).block, HEAD);
  });

  it('stores nothing from a node whose block hash belongs to another block', async () => {
    const engine = await engineOn(inconsistent.url);
    const wrong = new RegExp(`answered the hash of block ${HEAD - 100} with 0x[0-9a-f]+, whose header is block ${HEAD}; nothing was read at it`);
    await assert.rejects(engine.call('bittensor.snapshot', { netuid: 1, block: HEAD - 100 }), wrong);
    await assert.rejects(engine.call('bittensor.backfill', { netuid: 1, fromBlock: HEAD - 200, toBlock: HEAD, step: 100 }), /whose header is block/);
    await assert.rejects(engine.call('bittensor.weights', { netuid: 1, block: HEAD - 100 }), wrong);
    assert.equal(await engine.call('bittensor.metagraph', { netuid: 1 }), null, 'no snapshot was stored under any block');
    // The head needs no number-to-hash answer: it is read by hash, and its number comes from its own header.
    assert.equal((await engine.call('bittensor.snapshot', { netuid: 1 })).block, HEAD);
  });

  it('CLI: --block below 0 is a usage error naming the flag; a future block is refused with the head', async () => {
    for (const args of [
      ['snapshot', '--netuid', '1', '--block', '-1', '--endpoint', node.url],
      ['weights', '--netuid', '1', '--block', '-2', '--endpoint', node.url],
      ['metagraph', '--netuid', '1', '--block', '-5'],
    ]) {
      const { code, stdout, stderr } = await runCli([...args, '--db', ':memory:']);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /--block must be a block number, 0 or more/);
      assert.equal(stdout, '');
    }
    const future = await runCli(['snapshot', '--netuid', '1', '--block', String(HEAD + 1), '--endpoint', node.url, '--db', ':memory:', '--json']);
    assert.equal(future.code, 1);
    assert.match(future.stderr, new RegExp(`block ${HEAD + 1} is in the future: the head of ${node.url} is block ${HEAD}`));
    assert.equal(future.stdout, '');
  });
});
