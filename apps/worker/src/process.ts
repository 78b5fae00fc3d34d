import type { ClusterOperation } from '@openmsk/db';
import { newCurrentVersion } from '@openmsk/domain';
import { ProvisionError, type WorkerDeps } from './deps';
import { createClusterSteps } from './operations/create-cluster';
import { deleteClusterSteps } from './operations/delete-cluster';
import { Abandon, runSteps, type Step } from './record';

const PROCESSORS: Record<string, (deps: WorkerDeps, op: ClusterOperation) => Step[]> = {
  CREATE: createClusterSteps,
  DELETE: deleteClusterSteps,
};

/**
 * Carries out one operation to its end. Safe to call again for the same operation (after a worker
 * crash, a duplicate job or the reconciler): finished operations are left alone and every step
 * converges on the state it describes.
 */
export async function processOperation(deps: WorkerDeps, operationId: string): Promise<void> {
  const op = await deps.db.clusterOperation.findUnique({ where: { id: operationId } });
  if (!op || op.endTime) return; // gone with its cluster, or finished
  const steps = PROCESSORS[op.operationType];
  if (!steps) throw new Error(`no processor for ${op.operationType}`);
  const log = (m: string) => deps.log(m, { operationArn: op.arn, operationType: op.operationType });
  try {
    await runSteps(deps.db, op.id, steps(deps, op), log);
  } catch (e) {
    if (e instanceof Abandon) {
      await deps.db.clusterOperation.updateMany({ where: { id: op.id, endTime: null }, data: { operationState: 'UPDATE_FAILED', errorCode: 'ABANDONED', errorString: e.message, endTime: new Date() } });
      log(`abandoned: ${e.message}`);
      return;
    }
    const code = e instanceof ProvisionError ? e.code : 'INTERNAL_ERROR';
    const message = (e as Error).message;
    log(`failed: ${code} ${message}`);
    await fail(deps, op, code, message);
    return;
  }
  await complete(deps, op);
  log('complete');
}

async function complete(deps: WorkerDeps, op: ClusterOperation) {
  const { db } = deps;
  if (op.operationType === 'DELETE') {
    // The cluster row goes last: DescribeCluster answers DELETING until everything is gone, then 404.
    await db.cluster.deleteMany({ where: { id: op.clusterId } });
    return;
  }
  await db.$transaction([
    db.clusterOperation.update({ where: { id: op.id }, data: { operationState: 'UPDATE_COMPLETE', endTime: new Date() } }),
    db.cluster.updateMany({
      where: { id: op.clusterId, state: { not: 'DELETING' } },
      data: { state: 'ACTIVE', stateCode: null, stateMessage: null, activeOperationArn: null, currentVersion: newCurrentVersion() },
    }),
  ]);
}

/** FAILED with stateInfo; containers stay for inspection until DeleteCluster. */
async function fail(deps: WorkerDeps, op: ClusterOperation, code: string, message: string) {
  const { db } = deps;
  await db.$transaction([
    db.clusterOperation.update({
      where: { id: op.id },
      data: { operationState: 'UPDATE_FAILED', errorCode: code, errorString: message, endTime: new Date() },
    }),
    db.cluster.updateMany({
      where: { id: op.clusterId, state: { not: 'DELETING' } },
      data: { state: 'FAILED', stateCode: code, stateMessage: message, activeOperationArn: null },
    }),
  ]);
}
