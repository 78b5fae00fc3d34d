import type { Cluster, ClusterOperation, Prisma } from '@openmsk/db';
import { newCurrentVersion } from '@openmsk/domain';
import { ProvisionError, type LogLevel, type WorkerDeps } from './deps';
import { createClusterSteps } from './operations/create-cluster';
import { deleteClusterSteps } from './operations/delete-cluster';
import { targetRow, updateSteps } from './operations/updates';
import type { Outcome } from './metrics';
import { Abandon, runSteps, type Step } from './record';
import { clusterMetadata, loadTopology } from './rolling';

const PROCESSORS: Record<string, (deps: WorkerDeps, op: ClusterOperation) => Step[]> = {
  CREATE: createClusterSteps,
  DELETE: deleteClusterSteps,
};

/** MSK's operation states: reboots have their own pair (docs/msk-behaviour.md §4). */
const states = (type: string) =>
  type === 'REBOOT_NODE'
    ? { running: 'REBOOT_IN_PROGRESS', done: 'REBOOT_COMPLETE', failed: 'REBOOT_FAILED' }
    : { running: 'UPDATE_IN_PROGRESS', done: 'UPDATE_COMPLETE', failed: 'UPDATE_FAILED' };

/**
 * Carries out one operation to its end. Safe to call again for the same operation (after a worker
 * crash, a duplicate job or the reconciler): finished operations are left alone and every step
 * converges on the state it describes.
 */
export async function processOperation(deps: WorkerDeps, operationId: string): Promise<void> {
  const op = await deps.db.clusterOperation.findUnique({ where: { id: operationId } });
  if (!op || op.endTime) return; // gone with its cluster, or finished
  const build = PROCESSORS[op.operationType] ?? updateSteps;
  const log = (m: string, level?: LogLevel) => deps.log(m, { operationArn: op.arn, operationType: op.operationType }, level);
  const s = states(op.operationType);
  // Recorded once the outcome is on the row; a job whose end could not be written is retried and counted then.
  const t0 = performance.now();
  const ended = (outcome: Outcome) => deps.metrics.job(op.operationType, outcome, t0);
  try {
    await runSteps(deps.db, op.id, build(deps, op), log, s.running, deps.metrics);
  } catch (e) {
    if (e instanceof Abandon) {
      await deps.db.clusterOperation.updateMany({ where: { id: op.id, endTime: null }, data: { operationState: s.failed, errorCode: 'ABANDONED', errorString: e.message, endTime: new Date() } });
      log(`abandoned: ${e.message}`);
      ended('abandoned');
      return;
    }
    const code = e instanceof ProvisionError ? e.code : 'INTERNAL_ERROR';
    const message = (e as Error).message;
    log(`failed: ${code} ${message}`, 'warn');
    await fail(deps, op, code, message, s.failed);
    ended('failure');
    return;
  }
  await complete(deps, op, s.done);
  ended('success');
  log('complete');
}

async function complete(deps: WorkerDeps, op: ClusterOperation, done: string) {
  const { db } = deps;
  if (op.operationType === 'DELETE') {
    // The cluster row goes last: DescribeCluster answers DELETING until everything is gone, then 404.
    await db.cluster.deleteMany({ where: { id: op.clusterId } });
    return;
  }
  const cluster = await db.cluster.findUniqueOrThrow({ where: { id: op.clusterId } });
  // Describe shows the new values only now that the brokers run them.
  const applied = op.operationType === 'CREATE' ? cluster : targetRow(cluster, (op.targetClusterInfo ?? {}) as never);
  await db.$transaction([
    db.clusterOperation.update({ where: { id: op.id }, data: { operationState: done, endTime: new Date() } }),
    db.cluster.updateMany({
      where: { id: op.clusterId, state: { not: 'DELETING' } },
      data: {
        state: 'ACTIVE',
        stateCode: null,
        stateMessage: null,
        activeOperationArn: null,
        currentVersion: newCurrentVersion(),
        kafkaVersion: applied.kafkaVersion,
        numberOfBrokerNodes: applied.numberOfBrokerNodes,
        configurationArn: applied.configurationArn,
        configurationRevision: applied.configurationRevision,
        spec: applied.spec as Prisma.InputJsonValue,
      },
    }),
  ]);
}

/**
 * A failed create leaves the cluster FAILED (containers kept for inspection until DeleteCluster).
 * A failed update leaves it ACTIVE when every broker still serves, FAILED with the reason otherwise.
 */
async function fail(deps: WorkerDeps, op: ClusterOperation, code: string, message: string, failed: string) {
  const { db } = deps;
  let serving = false;
  if (op.operationType !== 'CREATE' && op.operationType !== 'DELETE') {
    const cluster = await db.cluster.findUnique({ where: { id: op.clusterId } });
    serving = !!cluster && (await servesAllBrokers(deps, cluster));
  }
  await db.$transaction([
    db.clusterOperation.update({ where: { id: op.id }, data: { operationState: failed, errorCode: code, errorString: message, endTime: new Date() } }),
    db.cluster.updateMany({
      where: { id: op.clusterId, state: { not: 'DELETING' } },
      data: serving
        ? { state: 'ACTIVE', activeOperationArn: null, currentVersion: newCurrentVersion() }
        : { state: 'FAILED', stateCode: code, stateMessage: message, activeOperationArn: null },
    }),
  ]);
}

async function servesAllBrokers(deps: WorkerDeps, cluster: Cluster): Promise<boolean> {
  try {
    const m = await clusterMetadata(deps, cluster, await loadTopology(deps, cluster));
    return m.brokers.length >= cluster.numberOfBrokerNodes;
  } catch {
    return false;
  }
}
