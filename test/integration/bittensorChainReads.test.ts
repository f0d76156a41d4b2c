import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fromHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import { loadRecordedRpc, recordedRuntime, recordedStateCall, startReplayNode, type ReplayNode } from '../support/replayNode';
import { DIST } from '../support/paths';

/**
 * Reads beyond the metagraph, each against the replay node of the seed that recorded it: the subnet list
 * (get_subnets_info_v2 and Swap.AlphaSqrtPrice, 129 subnets on spec 315) and the weights matrix (storage
 * Weights of netuid 23, paged keys then values).
 */

const SUBNET_LIST_HEAD = 6_521_727;
const WEIGHTS_HEAD = 3_264_158;

describe('bittensor chain reads against the replay node', () => {
  const nodes: ReplayNode[] = [];
  const engines: Engine[] = [];
  let dir: string;

  async function engineOn(seed: string) {
    const node = await startReplayNode({ seed });
    nodes.push(node);
    const engine = await Engine.start({ dbPath: undefined, settings: { subtensorEndpoint: node.url, relays: [] }, collect: false }, { notify: () => undefined, log: silentLogger });
    engines.push(engine);
    return { node, engine };
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-chain-reads-'));
  });

  after(async () => {
    for (const engine of engines) await engine.dispose();
    for (const node of nodes) await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every subnet with its name, UIDs, limits, register cost and alpha price', async () => {
    const { engine } = await engineOn('get_all_subnets_info');
    const subnets = await engine.call('bittensor.subnets', { refresh: true });

    // The reference: the same recorded answer decoded by @polkadot/types, independently of the engine's decoder.
    const { TypeRegistry, Metadata } = await import('@polkadot/types');
    const registry = new TypeRegistry();
    registry.setMetadata(new Metadata(registry, registry.createType('Bytes', fromHex(loadRecordedRpc().metadataV15).subarray(1)).toU8a(true)));
    const api = recordedRuntime().apis.find((candidate) => candidate.name === 'SubnetInfoRuntimeApi')!.methods.find((method) => method.name === 'get_subnets_info_v2')!;
    const reference = registry.createType(registry.createLookupType(api.output), fromHex(recordedStateCall('get_all_subnets_info', 'SubnetInfoRuntimeApi_get_subnets_info_v2'))).toJSON() as
      ({ netuid: number; subnetworkN: number; maxAllowedUids: number; maxAllowedValidators: number; burn: number; tempo: number; identity: { subnetName: string } | null } | null)[];

    const listed = reference.filter((info) => info !== null);
    assert.equal(listed.length, 129);
    assert.deepEqual(subnets.map((subnet) => subnet.netuid), listed.map((info) => info.netuid));
    for (const info of listed) {
      const subnet = subnets.find((candidate) => candidate.netuid === info.netuid)!;
      assert.equal(subnet.uids, info.subnetworkN, `uids of ${info.netuid}`);
      assert.equal(subnet.maxUids, info.maxAllowedUids);
      assert.equal(subnet.maxValidators, info.maxAllowedValidators);
      assert.equal(subnet.tempo, info.tempo);
      assert.equal(subnet.burnTao, info.burn / 1e9);
      const name = info.identity ? Buffer.from(fromHex(info.identity.subnetName)).toString('utf8').trim() : '';
      assert.equal(subnet.name, name || `subnet ${info.netuid}`);
    }
    assert.equal(subnets.find((subnet) => subnet.netuid === 1)!.name, 'Apex');
    assert.equal(subnets.find((subnet) => subnet.netuid === 64)!.name, 'Chutes');

    // Price: the recorded AlphaSqrtPrice of netuid 64 (U64F64 bits, little-endian) squared.
    const key = Object.keys(recordedQueryStorage('get_all_subnets_info')).find((candidate) => candidate.endsWith('4000'))!;
    const bits = Buffer.from(fromHex(recordedQueryStorage('get_all_subnets_info')[key]!)).readBigUInt64LE(0) + (Buffer.from(fromHex(recordedQueryStorage('get_all_subnets_info')[key]!)).readBigUInt64LE(8) << 64n);
    const expected = (Number(bits) / 2 ** 64) ** 2;
    const chutes = subnets.find((subnet) => subnet.netuid === 64)!;
    assert.ok(chutes.priceTao !== null && Math.abs(chutes.priceTao - expected) < 1e-12, `price ${chutes.priceTao} vs ${expected}`);
    assert.equal(subnets.find((subnet) => subnet.netuid === 0)!.priceTao, 1);
    assert.equal(subnets.filter((subnet) => subnet.priceTao === null).length, 0);
    assert.ok(subnets.every((subnet) => subnet.headBlock === SUBNET_LIST_HEAD || subnet.headBlock === null));
  });

  it('reads the weights matrix of netuid 23 from storage, paged', async () => {
    const { engine, node } = await engineOn('weights');
    const matrix = await engine.call('bittensor.weights', { netuid: 23 });
    assert.equal(matrix.netuid, 23);
    assert.equal(matrix.block, WEIGHTS_HEAD);
    // Recorded: one key, Weights(23, 10) = [(10, 65535)]: UID 10 gives all its weight to itself.
    assert.deepEqual(matrix.rows.map((row) => ({ uid: row.uid, weights: row.weights })), [{ uid: 10, weights: [[10, 1]] }]);
    assert.deepEqual(matrix.targets, [10]);
    assert.deepEqual(matrix.agreement.uids, [10]);
    assert.deepEqual(matrix.agreement.cosine, [1]);
    const paged = node.requests.filter((request) => request.method === 'state_getKeysPaged');
    assert.equal(paged.length, 1);
    assert.match(String(paged[0].params[0]), /^0x658faa385070e074c85bf6b568cf0555a1e7036061f484bc3048a64b64e35ec41700$/i);
  });

  it('prints the weights from the CLI, as JSON and as text', async () => {
    const node = await startReplayNode({ seed: 'weights' });
    nodes.push(node);
    const cli = path.join(DIST, 'cli.js');
    const run = (extra: string[]) => promisify(execFile)(process.execPath, [cli, 'weights', '--netuid', '23', '--endpoint', node.url, '--db', path.join(dir, 'cli.db'), ...extra], { timeout: 60_000 });
    const json = JSON.parse((await run(['--json'])).stdout) as { block: number; rows: { uid: number }[] };
    assert.equal(json.block, WEIGHTS_HEAD);
    assert.deepEqual(json.rows.map((row) => row.uid), [10]);
    const text = (await run([])).stdout;
    assert.match(text, /subnet 23 at block 3264158: 1 UIDs set weights on 1 UIDs/);
    assert.match(text, /10:100\.0%/);
  });
});

/** A seed's recorded `state_queryStorageAt` values by key. */
function recordedQueryStorage(seed: string): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  for (const answer of Object.values(loadRecordedRpc().rpc[seed].state_queryStorageAt ?? {})) {
    for (const set of (answer as { result: { changes: [string, string | null][] }[] }).result) for (const [key, value] of set.changes) values[key] = value;
  }
  return values;
}
