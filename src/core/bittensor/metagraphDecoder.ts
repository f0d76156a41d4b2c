import { chainText, fixedPointBits } from './decodedValues';
import type { MetagraphCallPlan } from './metagraphCalls';
import { occupancyOf, type AxonRow, type MetagraphSnapshot, type NeuronRow, type SubnetFacts } from './model';
import { ScaleDecodeError, type TypeDecoder } from './scale/scaleDecoder';
import { i96f32ToNumber, ipToText, raoToTao, u16ToUnit } from './scaling';
import { ss58Encode } from './ss58';

/**
 * Turns the raw answers of a metagraph read (get_neurons_lite + a metagraph runtime API) into a scaled snapshot.
 * Pure: no network, no @polkadot/api — the benchmark and the unit tests run it on recorded bytes.
 */

type Raw = Record<string, unknown>;

export interface MetagraphAnswers {
  readonly netuid: number;
  readonly block: number;
  readonly blockHash?: string;
  readonly neuronsLite: Uint8Array;
  readonly metagraph: Uint8Array | undefined;
}

export function decodeMetagraph(decoder: TypeDecoder, plan: MetagraphCallPlan, answers: MetagraphAnswers): MetagraphSnapshot {
  const lite = decoder.decodeExact(plan.neuronsLite.outputType, answers.neuronsLite, plan.neuronsLite.name);
  if (!Array.isArray(lite)) throw new ScaleDecodeError(`${plan.neuronsLite.name}: expected a list of neurons`);
  const graph = plan.metagraph && answers.metagraph
    ? (decoder.decodeExact(plan.metagraph.outputType, answers.metagraph, plan.metagraph.name) as Raw | null)
    : null;
  return buildSnapshot(answers, lite as Raw[], graph);
}

/** A field of a (selective) metagraph: selective ones are Option-wrapped and decode to null when not asked for. */
function field<T>(graph: Raw | null, name: string): T | undefined {
  const value = graph?.[name];
  return value === null || value === undefined ? undefined : (value as T);
}

function account(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new ScaleDecodeError('an account id did not decode to 32 bytes');
  return ss58Encode(value);
}

function axonOf(raw: Raw | undefined): AxonRow | null {
  if (!raw) return null;
  const ip = raw.ip as bigint;
  const ipType = raw.ip_type as number;
  if ((ip === 0n && (raw.port as number) === 0) || (ipType !== 4 && ipType !== 6)) return null;
  return { ip: ipToText(ip, ipType), port: raw.port as number, ipType, version: raw.version as number };
}

export function subnetFactsOf(graph: Raw | null, fallbackName: string): SubnetFacts {
  const identity = field<Raw>(graph, 'identity');
  const name = chainText(field(graph, 'name')) || chainText(identity?.subnet_name) || fallbackName;
  const symbol = field(graph, 'symbol');
  const taoIn = field<number>(graph, 'tao_in');
  const alphaIn = field<number>(graph, 'alpha_in');
  const moving = field<unknown>(graph, 'moving_price');
  const burn = field<number>(graph, 'burn');
  return {
    name,
    symbol: symbol === undefined ? null : chainText(symbol),
    tempo: field<number>(graph, 'tempo') ?? null,
    maxUids: field<number>(graph, 'max_uids') ?? null,
    maxValidators: field<number>(graph, 'max_validators') ?? null,
    burnTao: burn === undefined ? null : raoToTao(burn),
    priceTao: taoIn !== undefined && alphaIn ? taoIn / alphaIn : null,
    movingPriceTao: moving === undefined ? null : i96f32ToNumber(fixedPointBits(moving)),
    taoWeight: null,
  };
}

function buildSnapshot(answers: MetagraphAnswers, lite: Raw[], graph: Raw | null): MetagraphSnapshot {
  const alphaStake = field<number[]>(graph, 'alpha_stake');
  const taoStake = field<number[]>(graph, 'tao_stake');
  const totalStake = field<number[]>(graph, 'total_stake');
  const registeredAt = field<number[]>(graph, 'block_at_registration');
  const identities = field<(Raw | null)[]>(graph, 'identities');
  const graphHotkeys = field<Uint8Array[]>(graph, 'hotkeys');

  const neurons: NeuronRow[] = new Array(lite.length);
  let taoWeight: number | null = null;
  for (let i = 0; i < lite.length; i++) {
    const raw = lite[i];
    const uid = raw.uid as number;
    // The metagraph's per-UID vectors are indexed by uid; use them only if they describe the same hotkey.
    const sameHotkey = !graphHotkeys || (graphHotkeys[uid] !== undefined && Buffer.compare(graphHotkeys[uid], raw.hotkey as Uint8Array) === 0);
    let liteAlpha = 0;
    for (const [, amount] of raw.stake as [Uint8Array, number][]) liteAlpha += amount;
    const alpha = (sameHotkey ? alphaStake?.[uid] : undefined) ?? liteAlpha;
    const tao = (sameHotkey ? taoStake?.[uid] : undefined) ?? 0;
    const total = sameHotkey ? totalStake?.[uid] : undefined;
    if (taoWeight === null && total !== undefined && tao > 0) taoWeight = (total - alpha) / tao;
    const neuron: { -readonly [K in keyof NeuronRow]: NeuronRow[K] } = {
      uid,
      hotkey: account(raw.hotkey),
      coldkey: account(raw.coldkey),
      active: raw.active as boolean,
      validatorPermit: raw.validator_permit as boolean,
      stake: raoToTao(total ?? alpha),
      stakeAlpha: raoToTao(alpha),
      stakeTao: raoToTao(tao),
      rank: u16ToUnit(raw.rank as number),
      trust: u16ToUnit(raw.trust as number),
      consensus: u16ToUnit(raw.consensus as number),
      incentive: u16ToUnit(raw.incentive as number),
      dividends: u16ToUnit(raw.dividends as number),
      validatorTrust: u16ToUnit(raw.validator_trust as number),
      emission: raoToTao(raw.emission as number),
      lastUpdate: raw.last_update as number,
      registrationBlock: (sameHotkey ? registeredAt?.[uid] : undefined) ?? null,
      axon: axonOf(raw.axon_info as Raw | undefined),
    };
    const identityName = sameHotkey ? chainText(identities?.[uid]?.name) : '';
    if (identityName) neuron.identity = identityName;
    neurons[i] = neuron;
  }
  neurons.sort((a, b) => a.uid - b.uid);
  const facts = { ...subnetFactsOf(graph, `subnet ${answers.netuid}`), taoWeight };
  const validators = neurons.reduce((count, neuron) => count + (neuron.validatorPermit ? 1 : 0), 0);
  return {
    ...facts,
    netuid: answers.netuid,
    block: answers.block,
    ...(answers.blockHash ? { blockHash: answers.blockHash } : {}),
    n: neurons.length,
    validators,
    coldkeys: new Set(neurons.map((neuron) => neuron.coldkey)).size,
    occupancy: occupancyOf(neurons.length, validators, facts.maxUids, facts.maxValidators),
    neurons,
  };
}
