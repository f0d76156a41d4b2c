import { occupancyOf, type AxonRow, type MetagraphSnapshot, type NeuronRow, type SubnetFacts } from './model';

/**
 * The stored form of a snapshot, shared by the sql.js repo and the PostgreSQL store so that both keep the same
 * figures: the chain's integer units (u16 scores, RAO, a flags word) instead of scaled floats, and the subnet facts
 * as one JSON text. Only the numbers are here; key and axon ids are each store's own.
 */

const U16 = 65_535;
const RAO = 1e9;

/** A neuron's stored integers, in the column order of bittensor_neurons from `flags` to `registration_block`. */
export type EncodedNeuron = [
  flags: number, stakeTotal: number, stakeAlpha: number, stakeTao: number, rank: number, trust: number, consensus: number,
  incentive: number, dividends: number, validatorTrust: number, emission: number, lastUpdate: number, registrationBlock: number | null,
];

/** The subnet figures kept with a snapshot's header (bittensor_snapshots.facts). */
export function factsOf(snapshot: MetagraphSnapshot): SubnetFacts {
  return {
    name: snapshot.name, symbol: snapshot.symbol, tempo: snapshot.tempo, maxUids: snapshot.maxUids,
    maxValidators: snapshot.maxValidators, burnTao: snapshot.burnTao, priceTao: snapshot.priceTao,
    movingPriceTao: snapshot.movingPriceTao, taoWeight: snapshot.taoWeight,
  };
}

export function encodeNeuron(neuron: NeuronRow): EncodedNeuron {
  return [
    (neuron.active ? 1 : 0) | (neuron.validatorPermit ? 2 : 0),
    toRao(neuron.stake), toRao(neuron.stakeAlpha), toRao(neuron.stakeTao),
    toU16(neuron.rank), toU16(neuron.trust), toU16(neuron.consensus), toU16(neuron.incentive), toU16(neuron.dividends), toU16(neuron.validatorTrust),
    toRao(neuron.emission), neuron.lastUpdate, neuron.registrationBlock,
  ];
}

/** A stored neuron scaled back; `axon` and `identity` as joined from their dictionaries (null: none). */
export function decodeNeuron(uid: number, hotkey: string, coldkey: string, stored: EncodedNeuron, axon: AxonRow | null, identity: string | null): NeuronRow {
  const [flags, total, alpha, tao, rank, trust, consensus, incentive, dividends, validatorTrust, emission, lastUpdate, registrationBlock] = stored;
  return {
    uid,
    hotkey,
    coldkey,
    active: (flags & 1) === 1,
    validatorPermit: (flags & 2) === 2,
    stake: total / RAO,
    stakeAlpha: alpha / RAO,
    stakeTao: tao / RAO,
    rank: rank / U16,
    trust: trust / U16,
    consensus: consensus / U16,
    incentive: incentive / U16,
    dividends: dividends / U16,
    validatorTrust: validatorTrust / U16,
    emission: emission / RAO,
    lastUpdate,
    registrationBlock,
    axon,
    ...(identity ? { identity } : {}),
  };
}

/** A row of sharedSql/bittensorSql.ts NEURON_ROWS_SQL (uid, hotkey, coldkey, the stored integers, axon, identity) as a neuron. */
export function neuronOfRow(row: readonly unknown[]): NeuronRow {
  const [ip, port, ipType, version, identity] = row.slice(16) as [string | null, number, 4 | 6, number, string | null];
  const axon: AxonRow | null = ip === null ? null : { ip, port, ipType, version };
  return decodeNeuron(row[0] as number, row[1] as string, row[2] as string, row.slice(3, 16) as EncodedNeuron, axon, identity);
}

/** The snapshot a stored header and its (decoded) rows make. */
export function snapshotOf(
  info: { readonly netuid: number; readonly block: number },
  header: { readonly blockHash: string | null; readonly n: number; readonly validators: number; readonly coldkeys: number; readonly facts: SubnetFacts },
  neurons: NeuronRow[],
): MetagraphSnapshot {
  const { facts, n, validators } = header;
  return {
    ...facts,
    netuid: info.netuid,
    block: info.block,
    ...(header.blockHash ? { blockHash: header.blockHash } : {}),
    n,
    validators,
    coldkeys: header.coldkeys,
    occupancy: occupancyOf(n, validators, facts.maxUids, facts.maxValidators),
    neurons,
  };
}

/** An axon's dictionary key: its four fields. */
export function axonKey(axon: AxonRow): string {
  return `${axon.ip}|${axon.port}|${axon.ipType}|${axon.version}`;
}

function toU16(unit: number): number {
  return Math.round(unit * U16);
}

function toRao(amount: number): number {
  return Math.round(amount * RAO);
}
