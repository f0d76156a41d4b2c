import type { WeightsView } from '../../src/protocol/bittensorProtocol';
import { element } from '../common/dom';
import { dataTable, hotkeyCell, withOverflow } from './agreementTables';
import { identityNames } from './clusterView';

/** Clusters of validators, largest first: members as UIDs with hotkey and identity name (text only). */
export function clustersTable(matrix: WeightsView): HTMLElement {
  const byUid = new Map(matrix.rows.map((row) => [row.uid, row]));
  const names = identityNames(matrix);
  const { clusters, threshold } = matrix.structure.clusters;
  const table = dataTable(`Clusters of validators whose weights agree (mean cosine ≥ ${threshold})`, ['Cluster', 'Size', 'Mean cosine', 'Members'],
    clusters.map((cluster, index) => [
      String(index + 1),
      String(cluster.uids.length),
      cluster.uids.length > 1 ? cluster.meanCosine.toFixed(4) : '–',
      element('ul', { className: 'members' }, ...cluster.uids.map((uid) => {
        const item = element('li', { text: `UID ${uid} ` }, hotkeyCell(byUid.get(uid)?.hotkey ?? null));
        const name = names.get(uid);
        if (name) item.append(element('span', { className: 'identity', text: ` ${name}` }));
        item.dataset.uid = String(uid);
        return item;
      })),
    ]));
  table.classList.add('clusters');
  return withOverflow(table, clusters.length, 'No validator has set weights.');
}
