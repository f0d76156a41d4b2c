import type { AxonRow, MetagraphSnapshot, NeuronRow } from './model';
import { DIFF_FIELDS, type DiffField, type MetagraphDiff, type UidDiff } from './subnetHistoryModel';

/**
 * Block introspection's "what changed": each UID of `current` against `previous` (the complete snapshot before it),
 * listing only the UIDs that differ. Without a previous snapshot nothing can differ.
 */
export function metagraphDiff(previous: MetagraphSnapshot | null, current: MetagraphSnapshot): MetagraphDiff {
  if (!previous) return { netuid: current.netuid, block: current.block, previousBlock: null, rows: [] };
  if (previous.netuid !== current.netuid) throw new Error(`a diff needs one subnet, not ${previous.netuid} and ${current.netuid}`);
  const before = new Map(previous.neurons.map((neuron) => [neuron.uid, neuron]));
  const after = new Map(current.neurons.map((neuron) => [neuron.uid, neuron]));
  const uids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  const rows: UidDiff[] = [];
  for (const uid of uids) {
    const row = uidDiff(uid, before.get(uid), after.get(uid));
    if (row) rows.push(row);
  }
  return { netuid: current.netuid, block: current.block, previousBlock: previous.block, rows };
}

function uidDiff(uid: number, was: NeuronRow | undefined, now: NeuronRow | undefined): UidDiff | undefined {
  const kind: UidDiff['kind'] = !was ? 'registered' : !now ? 'deregistered' : was.hotkey !== now.hotkey ? 'replaced' : 'changed';
  const changes: Partial<Record<DiffField, readonly [number, number]>> = {};
  let moved = false;
  if (was && now) {
    for (const field of DIFF_FIELDS) {
      if (was[field] !== now[field]) {
        changes[field] = [was[field], now[field]];
        moved = true;
      }
    }
  }
  const permit = was && now && was.validatorPermit !== now.validatorPermit ? ([was.validatorPermit, now.validatorPermit] as const) : undefined;
  const axonWas = axonText(was?.axon ?? null);
  const axonNow = axonText(now?.axon ?? null);
  const axon = was && now && axonWas !== axonNow ? ([axonWas, axonNow] as const) : undefined;
  if (kind === 'changed' && !moved && !permit && !axon) return undefined;
  return {
    uid,
    kind,
    hotkey: now?.hotkey ?? null,
    previousHotkey: was?.hotkey ?? null,
    changes,
    ...(permit ? { permit } : {}),
    ...(axon ? { axon } : {}),
  };
}

function axonText(axon: AxonRow | null): string | null {
  if (!axon) return null;
  return axon.ipType === 6 ? `[${axon.ip}]:${axon.port}` : `${axon.ip}:${axon.port}`;
}
