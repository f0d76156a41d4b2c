import { oneOf } from './historyBounds';
import type { MetagraphSnapshot } from './model';
import type { GroupBy, GroupMembers } from './subnetHistoryModel';

/**
 * The hotkeys of one group (a coldkey, or an axon IP) in a snapshot, by UID. Over the snapshot itself rather than
 * the database, so that either store's read of it answers the same. `by` as a client sent it is refused unless it
 * names a grouping.
 */
export function groupMembers(snapshot: MetagraphSnapshot, by: GroupBy, key: string): GroupMembers {
  oneOf(by, ['coldkey', 'ip'], 'by');
  const rows = snapshot.neurons.filter((neuron) => (by === 'coldkey' ? neuron.coldkey : neuron.axon?.ip) === key);
  return { netuid: snapshot.netuid, by, key, block: snapshot.block, rows };
}
