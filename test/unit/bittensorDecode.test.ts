import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { metagraphCallPlan } from '../../src/core/bittensor/metagraphCalls';
import { decodeMetagraph } from '../../src/core/bittensor/metagraphDecoder';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { ScaleDecodeError, ScaleReader, TypeDecoder } from '../../src/core/bittensor/scale/scaleDecoder';
import { encodeCompact, fromHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { ss58Encode } from '../../src/core/bittensor/ss58';
import { loadRecordedRpc, recordedRuntime, recordedStateCall } from '../support/replayNode';

/**
 * Decodes the answers recorded on finney (netuid 1, block 6,852,690, spec 343) and checks them against
 * @polkadot/types' own decoder of the same bytes, which shares no code with ours.
 */
describe('bittensor metagraph decoding', () => {
  let snapshot: MetagraphSnapshot;
  let reference: Record<string, unknown>[];
  const liteHex = recordedStateCall('metagraph', 'NeuronInfoRuntimeApi_get_neurons_lite');
  const graphHex = recordedStateCall('metagraph', 'SubnetInfoRuntimeApi_get_selective_mechagraph');

  before(async () => {
    const runtime = recordedRuntime();
    const plan = metagraphCallPlan(runtime, 1);
    snapshot = decodeMetagraph(new TypeDecoder(runtime), plan, { netuid: 1, block: 6_852_690, neuronsLite: fromHex(liteHex), metagraph: fromHex(graphHex) });
    const { TypeRegistry, Metadata } = await import('@polkadot/types');
    const registry = new TypeRegistry();
    const opaque = fromHex(loadRecordedRpc().metadataV15).subarray(1);
    registry.setMetadata(new Metadata(registry, registry.createType('Bytes', opaque).toU8a(true)));
    reference = registry.createType('Vec<PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite>', fromHex(liteHex)).toJSON() as Record<string, unknown>[];
  });

  it('asks for exactly the call the SDK recorded (get_selective_mechagraph of netuid 1, every field)', () => {
    const plan = metagraphCallPlan(recordedRuntime(), 1);
    const recorded = Object.keys(loadRecordedRpc().rpc.metagraph.state_call).map((params) => JSON.parse(params) as string[]);
    const mechagraph = recorded.find(([name]) => name === 'SubnetInfoRuntimeApi_get_selective_mechagraph');
    assert.equal(plan.metagraph?.name, 'SubnetInfoRuntimeApi_get_selective_mechagraph');
    assert.equal(plan.metagraph?.argsHex, `0x${mechagraph?.[1]}`);
    assert.equal(plan.neuronsLite.argsHex, '0x0100');
  });

  it('reads 1,024 neurons whose every field matches @polkadot/types', () => {
    assert.equal(snapshot.n, 1024);
    assert.equal(reference.length, 1024);
    for (const ref of reference) {
      const neuron = snapshot.neurons[ref.uid as number];
      assert.equal(neuron.hotkey, ref.hotkey);
      assert.equal(neuron.coldkey, ref.coldkey);
      assert.equal(neuron.active, ref.active);
      assert.equal(neuron.validatorPermit, ref.validatorPermit);
      assert.equal(neuron.incentive, (ref.incentive as number) / 65_535);
      assert.equal(neuron.dividends, (ref.dividends as number) / 65_535);
      assert.equal(neuron.validatorTrust, (ref.validatorTrust as number) / 65_535);
      assert.equal(neuron.trust, (ref.trust as number) / 65_535);
      assert.equal(neuron.consensus, (ref.consensus as number) / 65_535);
      assert.equal(neuron.emission, (ref.emission as number) / 1e9);
      assert.equal(neuron.lastUpdate, ref.lastUpdate);
      const axon = ref.axonInfo as { ip: number; port: number; ipType: number; version: number };
      if (neuron.axon) {
        assert.equal(neuron.axon.port, axon.port);
        assert.equal(neuron.axon.version, axon.version);
        assert.equal(neuron.axon.ip, [axon.ip >>> 24, (axon.ip >>> 16) & 255, (axon.ip >>> 8) & 255, axon.ip & 255].join('.'));
      } else {
        assert.equal(axon.ip, 0);
      }
    }
  });

  it('reads the subnet facts of netuid 1 and splits stake into alpha and TAO with TaoWeight 0.18', () => {
    assert.equal(snapshot.name, 'Apex');
    assert.equal(snapshot.tempo, 99);
    assert.equal(snapshot.maxUids, 1024);
    assert.equal(snapshot.maxValidators, 128);
    assert.equal(snapshot.burnTao, 0.0005);
    assert.equal(snapshot.validators, 12);
    assert.equal(snapshot.coldkeys, new Set(reference.map((ref) => ref.coldkey)).size);
    assert.ok(snapshot.taoWeight !== null && Math.abs(snapshot.taoWeight - 0.18) < 1e-6);
    assert.ok(snapshot.priceTao !== null && Math.abs(snapshot.priceTao - 22_079_400_556_774 / 2_316_467_425_363_654) < 1e-15);
    const withTao = snapshot.neurons.filter((neuron) => neuron.stakeTao > 0);
    assert.ok(withTao.length > 0);
    for (const neuron of withTao) assert.ok(Math.abs(neuron.stake - (neuron.stakeAlpha + neuron.stakeTao * 0.18)) < 1e-3 * Math.max(1, neuron.stake));
    assert.ok(snapshot.neurons.every((neuron) => neuron.registrationBlock !== null && neuron.registrationBlock <= 6_852_690));
    assert.ok(snapshot.neurons.some((neuron) => neuron.identity));
  });

  it('rejects an old runtime\'s Vec<u8>-wrapped answer instead of decoding garbage', () => {
    // Netuid 23 on spec 208 wraps Vec<NeuronInfoLite> in Vec<u8>; read with spec 343's types it must fail.
    const runtime = recordedRuntime();
    const plan = metagraphCallPlan(runtime, 23);
    const oldAnswer = Object.values(loadRecordedRpc().rpc.neurons_lite.state_call)[0] as { result: string };
    assert.throws(
      () => decodeMetagraph(new TypeDecoder(runtime), plan, { netuid: 23, block: 3_264_157, neuronsLite: fromHex(oldAnswer.result), metagraph: undefined }),
      (error: unknown) => error instanceof ScaleDecodeError && /Vec<u8>|ran out of bytes|invalid/.test((error as Error).message),
    );
  });

  it('rejects trailing bytes after a complete value', () => {
    const runtime = recordedRuntime();
    const plan = metagraphCallPlan(runtime, 1);
    const padded = new Uint8Array([...fromHex(liteHex), 0]);
    assert.throws(() => new TypeDecoder(runtime).decodeExact(plan.neuronsLite.outputType, padded, 'get_neurons_lite'),
      /has \d+ bytes but its type used \d+/);
  });

  it('round-trips SCALE compact integers in every mode', () => {
    for (const value of [0, 1, 63, 64, 16_383, 16_384, 2 ** 30 - 1, 2 ** 30, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
      assert.equal(new ScaleReader(encodeCompact(value)).compact(), value);
    }
  });

  it('reads fixed-width integers little-endian, to the top bit', () => {
    const bytes = Uint8Array.of(0xff, 0xfe, 0xff, 0xff, 0xff, 0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09);
    const reader = new ScaleReader(bytes);
    assert.equal(reader.u8(), 0xff);
    assert.equal(reader.u16(), 0xfffe);
    assert.equal(reader.u32(), 0x0180ffff);
    assert.equal(reader.u64(), 0x0908070605040302);
    assert.equal(reader.remaining, 0);
    assert.equal(new ScaleReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff)).u32(), 0xffff_ffff);
  });

  it('reads u128 and u256 as exact bigints, and odd widths byte by byte', () => {
    const u128 = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const expected128 = u128.reduceRight((value, byte) => (value << 8n) | BigInt(byte), 0n);
    assert.equal(new ScaleReader(u128).bigUint(16), expected128);
    const u256 = new Uint8Array(32).fill(0xff);
    assert.equal(new ScaleReader(u256).bigUint(32), (1n << 256n) - 1n);
    const ipv4 = new Uint8Array(16);
    ipv4.set([4, 3, 2, 1]);
    assert.equal(new ScaleReader(ipv4).bigUint(16), 0x01020304n);
    assert.equal(new ScaleReader(Uint8Array.of(1, 2, 3)).bigUint(3), 0x030201n);
    assert.equal(new ScaleReader(new Uint8Array(16).fill(0xff)).bigInt(16), -1n);
  });

  it('reports running out of bytes for every width instead of reading past the end', () => {
    const reads: [string, (reader: ScaleReader) => unknown][] = [
      ['u8', (r) => r.u8()], ['u16', (r) => r.u16()], ['u32', (r) => r.u32()], ['u64', (r) => r.u64()],
      ['u128', (r) => r.bigUint(16)], ['compact', (r) => r.compact()], ['compact u32', (r) => r.compact()],
    ];
    for (const [what, read] of reads) {
      const bytes = what === 'compact u32' ? Uint8Array.of(0b10, 0) : what === 'u8' || what === 'compact' ? new Uint8Array(0) : Uint8Array.of(1);
      assert.throws(() => read(new ScaleReader(bytes)), (error: unknown) => error instanceof ScaleDecodeError && /ran out of bytes/.test((error as Error).message), what);
    }
  });

  it('shares compiled decoders between decoders of one runtime and fails cleanly on an unknown type', () => {
    const runtime = recordedRuntime();
    const plan = metagraphCallPlan(runtime, 1);
    const first = new TypeDecoder(runtime);
    const second = new TypeDecoder(runtime);
    assert.equal(first.decoder(plan.neuronsLite.outputType), second.decoder(plan.neuronsLite.outputType));
    const missing = Math.max(...runtime.types.map((type) => type.id)) + 1;
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.throws(() => first.decodeExact(missing, Uint8Array.of(0), 'missing'), /type \d+ is not in the metadata/);
    }
  });

  it('encodes SS58 addresses like @polkadot/util-crypto', async () => {
    const { encodeAddress } = await import('@polkadot/util-crypto');
    const keys = [new Uint8Array(32), new Uint8Array(32).fill(255), Uint8Array.from({ length: 32 }, (_, i) => i * 7)];
    // Pseudo-random keys, some with leading zero bytes (base58 writes those as '1's), in several prefixes.
    let seed = 11;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) & 0xff;
    for (let i = 0; i < 300; i++) keys.push(Uint8Array.from({ length: 32 }, (_, byte) => (byte < i % 4 ? 0 : next())));
    for (const key of keys) {
      assert.equal(ss58Encode(key), encodeAddress(key, 42));
      for (const prefix of [0, 2, 63]) assert.equal(ss58Encode(key, prefix), encodeAddress(key, prefix));
    }
  });
});
