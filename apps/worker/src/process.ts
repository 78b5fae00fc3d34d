import type { Db } from '@openmsk/db';

/**
 * Carries out one operation. Brokers arrive with issue 3: until then CREATE operations stay
 * PENDING (the cluster stays CREATING, honestly) and DELETE has nothing to tear down but the rows.
 */
export async function processOperation(db: Db, operationId: string): Promise<void> {
  const op = await db.clusterOperation.findUnique({ where: { id: operationId } });
  if (!op) return; // its cluster is gone: nothing left to do
  if (op.operationType === 'DELETE') {
    await db.cluster.deleteMany({ where: { id: op.clusterId, state: 'DELETING' } });
  }
}
