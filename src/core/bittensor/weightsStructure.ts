import type { NeuronRow, WeightsMatrix } from './model';
import { clusterByCosine } from './weightsClusters';
import { embedByCosine } from './weightsEmbedding';
import type { WeightsView } from './weightsModel';

/** The matrix with its clusters, its 2-D embedding and the rows' identity names (from the same snapshot's neurons). */
export function withStructure(matrix: WeightsMatrix, neurons: readonly NeuronRow[] | null): WeightsView {
  const { uids, cosine } = matrix.agreement;
  const byUid = new Map((neurons ?? []).map((neuron) => [neuron.uid, neuron]));
  const identities = matrix.rows.flatMap((row) => {
    const neuron = byUid.get(row.uid);
    return neuron?.identity && neuron.hotkey === row.hotkey ? [{ uid: row.uid, name: neuron.identity }] : [];
  });
  return { ...matrix, structure: { clusters: clusterByCosine(uids, cosine), embedding: embedByCosine(uids, cosine), identities } };
}
