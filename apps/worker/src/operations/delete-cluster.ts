import { rmSync } from 'node:fs';
import type { ClusterOperation } from '@openmsk/db';
import { LABELS, clusterPaths } from '@openmsk/runtime';
import type { WorkerDeps } from '../deps';
import { releasePorts } from '../ports';
import type { Step } from '../record';
import { BROKER_STOP_SECONDS } from '../rolling';

/** DELETE: brokers stopped gracefully before the metadata quorum, then everything the cluster made. */
export function deleteClusterSteps(deps: WorkerDeps, op: ClusterOperation): Step[] {
  const containers = () => deps.docker.listManaged({ [LABELS.cluster]: op.clusterId });
  return [
    {
      name: 'STOP_BROKERS',
      run: async () => {
        await deps.kafka.evict(op.clusterId);
        const brokers = (await containers()).filter((c) => c.labels[LABELS.role] === 'broker' && c.running);
        await Promise.all(brokers.map((c) => deps.docker.stop(c.name, BROKER_STOP_SECONDS)));
      },
    },
    {
      name: 'STOP_METADATA_QUORUM',
      run: async () => {
        const quorum = (await containers()).filter((c) => c.labels[LABELS.role] !== 'broker' && c.running);
        await Promise.all(quorum.map((c) => deps.docker.stop(c.name, 10)));
      },
    },
    { name: 'REMOVE_CONTAINERS', run: async () => { await Promise.all((await containers()).map((c) => deps.docker.remove(c.name))); } },
    { name: 'RELEASE_STORAGE', run: () => deps.storage.removeCluster(op.clusterId) },
    {
      name: 'REMOVE_FILES',
      run: async () => rmSync(clusterPaths(deps.config.OPENMSK_HOME, op.clusterId).root, { recursive: true, force: true }),
    },
    { name: 'RELEASE_PORTS', run: () => releasePorts(deps.db, op.clusterId) },
  ];
}
