import { rmSync } from 'node:fs';
import type { Db } from '@openmsk/db';
import type { OperationQueue } from '@openmsk/queue';
import type { ClusterSpec } from '@openmsk/domain';
import { LABELS, clusterPaths, containerName, instanceId } from '@openmsk/runtime';
import { containerSpec } from './nodes';
import { BROKER_STOP_SECONDS, loadTopology } from './rolling';
import type { WorkerDeps } from './deps';
import { releasePorts } from './ports';

/**
 * Outbox sweep: every unfinished operation has a job. Operations written while Redis was down, or
 * whose job Redis lost (it keeps nothing on disk), are enqueued again; jobId = operation id makes
 * this a no-op for jobs that still exist.
 */
export async function reconcileQueue(db: Db, queue: OperationQueue): Promise<number> {
  const open = await db.clusterOperation.findMany({ where: { endTime: null }, select: { id: true, enqueued: true }, orderBy: { createdAt: 'asc' }, take: 500 });
  let n = 0;
  for (const { id, enqueued } of open) {
    if (!(await queue.enqueue(id))) break; // Redis unreachable: try again next sweep
    if (!enqueued) {
      await db.clusterOperation.update({ where: { id }, data: { enqueued: true } });
      n++;
    }
  }
  return n;
}

/**
 * Docker against Postgres: containers, volumes and files of clusters that no longer exist are
 * removed (nothing else is touched: only what carries openmsk's labels or lives in its folders).
 */
export async function reconcileOrphans(deps: WorkerDeps): Promise<string[]> {
  const known = new Set((await deps.db.cluster.findMany({ select: { id: true } })).map((c) => c.id));
  const containers = await deps.docker.listManaged({ [LABELS.instance]: instanceId(deps.config.OPENMSK_HOME) });
  const orphanIds = new Set<string>();
  for (const c of containers) {
    const id = c.labels[LABELS.cluster];
    if (id && !known.has(id)) orphanIds.add(id);
  }
  for (const v of await deps.storage.list()) if (!known.has(v.clusterId)) orphanIds.add(v.clusterId);
  for (const id of orphanIds) {
    deps.log('removing orphaned cluster resources', { clusterId: id });
    const mine = containers.filter((c) => c.labels[LABELS.cluster] === id);
    await Promise.all(mine.filter((c) => c.labels[LABELS.role] === 'broker').map((c) => deps.docker.stop(c.name, BROKER_STOP_SECONDS)));
    await Promise.all(mine.map((c) => deps.docker.remove(c.name)));
    await deps.storage.removeCluster(id);
    rmSync(clusterPaths(deps.config.OPENMSK_HOME, id).root, { recursive: true, force: true });
    await releasePorts(deps.db, id);
  }
  return [...orphanIds];
}

/**
 * A container of an ACTIVE cluster that died or vanished (a crash, a host reboot) is brought back:
 * its volume re-attached and mounted first, then the container started with the stored spec.
 * Clusters with an operation in flight are left to that operation.
 */
const HEAL_AFTER_MS = 30_000;

export async function healClusters(deps: WorkerDeps): Promise<string[]> {
  const healed: string[] = [];
  const active = await deps.db.cluster.findMany({ where: { state: 'ACTIVE', operations: { none: { endTime: null } } } });
  for (const cluster of active) {
    const t = await loadTopology(deps, cluster);
    const spec = cluster.spec as unknown as ClusterSpec;
    for (const n of t.nodes) {
      const state = await deps.docker.inspect(containerName(cluster.id, n.nodeId));
      // Only a container that has been down for a while: a rolling step stops and starts within
      // seconds, and a missing container is never re-created from here (a roll may be replacing it).
      if (!state || state.running || !state.finishedAt || Date.now() - state.finishedAt.getTime() < HEAL_AFTER_MS) continue;
      if (await deps.db.clusterOperation.count({ where: { clusterId: cluster.id, endTime: null } })) break;
      const mount = n.role === 'broker'
        ? (await deps.storage.ensure({ clusterId: cluster.id, nodeId: n.nodeId }, spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.VolumeSize)).path
        : undefined;
      await deps.docker.ensureRunning(containerSpec(deps, cluster, n, mount));
      deps.log('restarted a stopped node', { clusterArn: cluster.arn, node: n.nodeId });
      healed.push(`${cluster.id}/${n.nodeId}`);
    }
  }
  return healed;
}
