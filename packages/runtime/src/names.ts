import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** Every name derived from a cluster and node, in one place (Docker, host paths, labels). */
export const LABELS = {
  managed: 'openmsk.managed',
  /** Which openmsk installation (its OPENMSK_HOME) made it: reconcilers never touch another's. */
  instance: 'openmsk.instance',
  cluster: 'openmsk.cluster',
  node: 'openmsk.node',
  role: 'openmsk.role',
} as const;

export const containerName = (clusterId: string, nodeId: string) => `openmsk-${clusterId}-${nodeId}`;

export const kafkaImage = (apacheVersion: string) => `openmsk/kafka:${apacheVersion}`;

export function clusterPaths(home: string, clusterId: string) {
  const root = join(resolve(home), 'clusters', clusterId);
  return {
    root,
    /** CA certificate handed to clients of this cluster (same as the account CA). */
    ca: join(root, 'ca.pem'),
    node: (nodeId: string) => ({
      root: join(root, nodeId),
      /** bind-mounted read-only at /etc/kafka */
      config: join(root, nodeId, 'config'),
      /** data of ZooKeeper nodes and KRaft controllers (brokers get a sized volume instead) */
      data: join(root, nodeId, 'data'),
    }),
  };
}

export const volumesRoot = (home: string) => join(resolve(home), 'volumes');

/** A stable id of one installation, from its absolute OPENMSK_HOME. */
export const instanceId = (home: string) => createHash('sha256').update(resolve(home)).digest('hex').slice(0, 16);
