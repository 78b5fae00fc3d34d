import type { Db, Prisma } from '@openmsk/db';
import type { WorkerMetrics } from './metrics';

export type StepStatus = 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
interface StepRecord {
  StepName: string;
  StepInfo: { StepStatus: StepStatus };
}

/** A named, idempotent unit of an operation. */
export interface Step {
  name: string;
  run: () => Promise<void>;
}

/** Thrown by a step when the operation must stop without failing (e.g. the cluster is being deleted). */
export class Abandon extends Error {}

/**
 * Runs steps in order, recording each one's status on the operation row so ListClusterOperations
 * shows progress, and its outcome and duration in `metrics`. Every step is re-run on resume: steps check real state
 * first, so that is cheap.
 */
export async function runSteps(db: Db, operationId: string, steps: Step[], log: (m: string) => void, running = 'UPDATE_IN_PROGRESS', metrics?: Pick<WorkerMetrics, 'step'>): Promise<void> {
  const records: StepRecord[] = steps.map((s) => ({ StepName: s.name, StepInfo: { StepStatus: 'PENDING' } }));
  const save = () => db.clusterOperation.update({ where: { id: operationId }, data: { steps: records as unknown as Prisma.InputJsonValue } });
  await db.clusterOperation.update({
    where: { id: operationId },
    data: { operationState: running, steps: records as unknown as Prisma.InputJsonValue },
  });
  for (const [i, step] of steps.entries()) {
    records[i].StepInfo.StepStatus = 'IN_PROGRESS';
    await save();
    const t0 = performance.now();
    try {
      await step.run();
    } catch (e) {
      metrics?.step(step.name, e instanceof Abandon ? 'abandoned' : 'failure', t0);
      records[i].StepInfo.StepStatus = 'FAILED';
      await save().catch(() => {});
      throw e;
    }
    metrics?.step(step.name, 'success', t0);
    log(`step ${step.name} done in ${Math.round(performance.now() - t0)} ms`);
    records[i].StepInfo.StepStatus = 'COMPLETED';
    await save();
  }
}

/** Appends why the operation is paused to its `waits` ({ at, reason }); shown to operators, not on MSK's wire. */
export async function recordWait(db: Db, operationId: string, reason: string): Promise<void> {
  await db.$executeRaw`UPDATE cluster_operation SET waits = waits || jsonb_build_array(jsonb_build_object('at', now(), 'reason', ${reason.slice(0, 1000)}::text)) WHERE id = ${operationId}::uuid`;
}
