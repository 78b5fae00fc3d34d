import type { Db, Prisma } from '@openmsk/db';
import type { WorkerMetrics } from './metrics';

export type StepStatus = 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
/**
 * One step as stored on the operation row. `StepName` and `StepInfo` are MSK's wire (DescribeClusterOperation);
 * `StartTime`, `EndTime` (ISO) and `Progress` (a roll's nodes done of total) are openmsk's, which the MSK encoder drops
 * and `GET /openmsk/v1/operations/{arn}/progress` serves (the console's timeline).
 */
interface StepRecord {
  StepName: string;
  StepInfo: { StepStatus: StepStatus };
  StartTime?: string;
  EndTime?: string;
  Progress?: { Done: number; Total: number };
}

/** What a running step may report: how many of its units (a roll's nodes) are done. */
export interface StepContext {
  progress: (done: number, total: number) => Promise<void>;
}

/** A named, idempotent unit of an operation. */
export interface Step {
  name: string;
  run: (ctx: StepContext) => Promise<void>;
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
    const record = records[i];
    record.StepInfo.StepStatus = 'IN_PROGRESS';
    record.StartTime = new Date().toISOString();
    await save();
    const t0 = performance.now();
    const progress = async (done: number, total: number) => {
      record.Progress = { Done: done, Total: total };
      await save();
    };
    try {
      await step.run({ progress });
    } catch (e) {
      metrics?.step(step.name, e instanceof Abandon ? 'abandoned' : 'failure', t0);
      record.StepInfo.StepStatus = 'FAILED';
      record.EndTime = new Date().toISOString();
      await save().catch(() => {});
      throw e;
    }
    metrics?.step(step.name, 'success', t0);
    log(`step ${step.name} done in ${Math.round(performance.now() - t0)} ms`);
    record.StepInfo.StepStatus = 'COMPLETED';
    record.EndTime = new Date().toISOString();
    await save();
  }
}

/** Appends why the operation is paused to its `waits` ({ at, reason }); shown to operators, not on MSK's wire. */
export async function recordWait(db: Db, operationId: string, reason: string): Promise<void> {
  await db.$executeRaw`UPDATE cluster_operation SET waits = waits || jsonb_build_array(jsonb_build_object('at', now(), 'reason', ${reason.slice(0, 1000)}::text)) WHERE id = ${operationId}::uuid`;
}
