import { syncScramUsers } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { WorkerDeps } from './deps';
import { clusterAdmin, loadTopology } from './rolling';


/**
 * The sweep's part of SASL/SCRAM: every running cluster with SCRAM on gets the users its associated secrets say
 * (packages/db syncScramUsers). The API syncs at once after a change; this catches what it could not deliver.
 */
export async function syncScramClusters(deps: WorkerDeps): Promise<void> {
  const clusters = await deps.db.cluster.findMany({ where: { state: { in: [...domain.SERVING_STATES] }, scramSecrets: { some: {} } } });
  const withScram = clusters.filter((c) => (c.spec as unknown as domain.ClusterSpec).ClientAuthentication?.Sasl.Scram.Enabled);
  for (const cluster of withScram) {
    try {
      const admin = await clusterAdmin(deps, cluster, await loadTopology(deps, cluster));
      const r = await syncScramUsers(deps.db, deps.box, cluster.id, admin);
      if (r.upserted.length || r.deleted.length) deps.log('SCRAM users synced', { cluster: cluster.id, upserted: r.upserted, deleted: r.deleted });
    } catch (e) {
      deps.log(`SCRAM users of ${cluster.id}: ${(e as Error).message}`, undefined, 'warn');
    }
  }
}
