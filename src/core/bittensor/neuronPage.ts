import type { MetagraphSnapshot, NeuronRow } from './model';

export type NeuronGroup = 'validators' | 'uids';
export type NeuronSort = 'stake' | 'incentive';

export interface NeuronPageRequest {
  readonly group: NeuronGroup;
  readonly sort: NeuronSort;
  readonly limit: number;
  /** A UID (digits: that UID only), or part of a hotkey, coldkey or identity name; empty: every row. */
  readonly filter?: string;
}

export interface NeuronPage {
  readonly block: number;
  /** Rows in the group. */
  readonly total: number;
  /** Rows in the group that pass the filter (`total` without one). */
  readonly matched: number;
  readonly rows: NeuronRow[];
}

/**
 * One page of a snapshot for the Subnets view, sorted and cut in the engine so that the host never holds a whole
 * 1,024-UID metagraph: validators by stake, all UIDs by stake or incentive (UID breaks ties), then filtered.
 */
export function neuronPage(snapshot: MetagraphSnapshot, request: NeuronPageRequest): NeuronPage {
  const inGroup = request.group === 'validators' ? snapshot.neurons.filter((neuron) => neuron.validatorPermit) : [...snapshot.neurons];
  const key = request.group === 'validators' || request.sort === 'stake' ? 'stake' : 'incentive';
  const matches = neuronMatcher(request.filter);
  const kept = inGroup.filter(matches);
  kept.sort((a, b) => b[key] - a[key] || a.uid - b.uid);
  return { block: snapshot.block, total: inGroup.length, matched: kept.length, rows: kept.slice(0, Math.max(0, request.limit)) };
}

/** Whether a neuron passes a filter as the user typed it (see NeuronPageRequest.filter). */
export function neuronMatcher(filter: string | undefined): (neuron: NeuronRow) => boolean {
  const text = (filter ?? '').trim();
  if (text === '') return () => true;
  // Digits name a UID: "12" must not also match every hotkey that happens to contain "12".
  if (/^\d+$/.test(text)) {
    const uid = Number(text);
    return (neuron) => neuron.uid === uid;
  }
  const lower = text.toLowerCase();
  return (neuron) => neuron.hotkey.toLowerCase().includes(lower) || neuron.coldkey.toLowerCase().includes(lower) ||
    (neuron.identity ?? '').toLowerCase().includes(lower);
}
