import { occupancyOf, type AxonRow, type MetagraphSnapshot, type NeuronRow } from '../../src/core/bittensor/model';

/**
 * Later metagraphs derived from a real one (the recorded netuid 1 snapshot), one explicit step at a time, for tests
 * and benchmarks of the stored history. A step names what happened on chain between two snapshots; everything it
 * does not name stays as it was. The header counters (n, validators, coldkeys, occupancy) follow the neurons.
 */
export interface MetagraphStep {
  readonly block: number;
  readonly burnTao?: number;
  /** UIDs whose hotkey deregistered and left the UID empty. */
  readonly deregister?: readonly number[];
  /** A new hotkey takes the UID (empty, or replacing the hotkey there): zero stake and scores, no permit. */
  readonly register?: readonly { readonly uid: number; readonly hotkey: string; readonly coldkey: string; readonly ip?: string; readonly identity?: string }[];
  /** Field values set on UIDs (stake moves, scores, permits, axons). */
  readonly set?: readonly { readonly uid: number; readonly fields: Partial<Omit<NeuronRow, 'uid' | 'hotkey'>> }[];
}

export function deriveMetagraph(previous: MetagraphSnapshot, step: MetagraphStep): MetagraphSnapshot {
  const byUid = new Map(previous.neurons.map((neuron) => [neuron.uid, neuron]));
  for (const uid of step.deregister ?? []) byUid.delete(uid);
  for (const { uid, hotkey, coldkey, ip, identity } of step.register ?? []) {
    byUid.set(uid, {
      uid, hotkey, coldkey, active: true, validatorPermit: false, stake: 0, stakeAlpha: 0, stakeTao: 0, rank: 0, trust: 0, consensus: 0,
      incentive: 0, dividends: 0, validatorTrust: 0, emission: 0, lastUpdate: step.block, registrationBlock: step.block,
      axon: ip ? axonAt(ip) : null,
      ...(identity ? { identity } : {}),
    });
  }
  for (const { uid, fields } of step.set ?? []) {
    const neuron = byUid.get(uid);
    if (!neuron) throw new Error(`step at block ${step.block} sets fields of UID ${uid}, which is empty`);
    byUid.set(uid, { ...neuron, ...fields });
  }
  const neurons = [...byUid.values()].sort((a, b) => a.uid - b.uid);
  const validators = neurons.filter((neuron) => neuron.validatorPermit).length;
  // A derived block has no hash of its own.
  const { blockHash: _recorded, ...header } = previous;
  return {
    ...header,
    block: step.block,
    burnTao: step.burnTao ?? previous.burnTao,
    neurons,
    n: neurons.length,
    validators,
    coldkeys: new Set(neurons.map((neuron) => neuron.coldkey)).size,
    occupancy: occupancyOf(neurons.length, validators, previous.maxUids, previous.maxValidators),
  };
}

export function axonAt(ip: string): AxonRow {
  return { ip, port: 8091, ipType: 4, version: 1 };
}

/** A stand-in ss58 text (the store keeps keys as text; nothing here checks their checksum). */
export function derivedKey(label: string): string {
  return `5Derived${label}`.padEnd(48, 'x');
}

/**
 * The clock of a history `steps` snapshots long, half a day (3,600 blocks) apart and ending an hour ago by the real
 * clock: off the half-day grid, so that a range counted back from a later "now" (a CLI's) falls well between two
 * snapshots, and recent enough for a raw window counted from `now`.
 */
export function halfDayStepsEndingAnHourAgo(steps: number): { now: number; blockAt: (k: number) => number; timeAt: (k: number) => number } {
  const now = Math.floor(Date.now() / 1000);
  return {
    now,
    blockAt: (k) => 6_800_000 + 3_600 * k,
    timeAt: (k) => now - 3_600 - 43_200 * (steps - 1 - k),
  };
}
