import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metagraphCallPlan } from '../../src/core/bittensor/metagraphCalls';
import { decodeMetagraph } from '../../src/core/bittensor/metagraphDecoder';
import { TypeDecoder } from '../../src/core/bittensor/scale/scaleDecoder';
import { fromHex, toHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { hostileMetagraphAnswer, METAGRAPH_CALL, withHostileNames } from '../support/hostileIdentities';
import { recordedMetagraphSnapshot, recordedRuntime, recordedStateCall } from '../support/replayNode';
import { HTML_PAYLOADS } from '../support/xssPayloads';

/**
 * The XSS e2e tests feed hostile names through the engine's real decoder, so the rewritten answer must be valid
 * SCALE of the runtime's type: decoded by the engine, it carries the new names and every other figure unchanged.
 */
describe('hostile identity names in a recorded metagraph answer', () => {
  const runtime = recordedRuntime();
  const original = recordedMetagraphSnapshot();
  const liteHex = recordedStateCall('metagraph', 'NeuronInfoRuntimeApi_get_neurons_lite');
  const graphHex = recordedStateCall('metagraph', METAGRAPH_CALL);
  const names = { subnet: `${HTML_PAYLOADS.script} Ω`, identity: (uid: number) => `uid ${uid} ${HTML_PAYLOADS.imgOnerror}` };
  const decode = (graph: Uint8Array) => decodeMetagraph(new TypeDecoder(runtime), metagraphCallPlan(runtime, 1), {
    netuid: 1, block: 6_852_690, neuronsLite: fromHex(liteHex), metagraph: graph,
  });

  it('decodes (every byte used) to the hostile subnet name and one hostile identity per UID', () => {
    const hostile = decode(withHostileNames(runtime, fromHex(graphHex), names));
    assert.equal(hostile.name, names.subnet);
    assert.equal(hostile.neurons.length, 1024);
    for (const neuron of hostile.neurons) assert.equal(neuron.identity, names.identity(neuron.uid));
  });

  it('keeps every other figure of every UID and of the subnet', () => {
    const hostile = decode(withHostileNames(runtime, fromHex(graphHex), names));
    const withoutNames = (snapshot: typeof original) => ({ ...snapshot, name: '', neurons: snapshot.neurons.map(({ identity: _identity, ...rest }) => rest) });
    assert.deepEqual(withoutNames(hostile), withoutNames(original));
    assert.notEqual(original.name, hostile.name);
  });

  it('rewrites only the metagraph call of state_call', () => {
    const rewrite = hostileMetagraphAnswer(names);
    assert.equal(rewrite('state_call', ['NeuronInfoRuntimeApi_get_neurons_lite', '0x0100'], liteHex), liteHex);
    assert.equal(rewrite('chain_getHead', [], graphHex), graphHex);
    const rewritten = rewrite('state_call', [METAGRAPH_CALL, '0x01'], graphHex) as string;
    assert.equal(rewritten, toHex(withHostileNames(runtime, fromHex(graphHex), names)));
    assert.notEqual(rewritten, graphHex);
  });
});
