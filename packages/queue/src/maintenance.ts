import type IORedis from 'ioredis';
import { jobCounts, type JobCounts } from './counts';
import { startScheduledQueue } from './scheduled';

/**
 * The reconciler's queue. Two kinds of job:
 * - `sweep`, made by a bullmq job scheduler every few seconds: one job per interval however many workers run, and the
 *   queue's global concurrency of 1 means a sweep never overlaps another (a slow one delays the next);
 * - `heal`, one per cluster (jobId `heal-<cluster id>`): a Docker event seen by every worker, or a sweep that finds a
 *   node down, asks for it, and while that job waits or runs, asking again is a no-op.
 * Sweeps and heals share the concurrency of 1: a heal never runs beside a sweep that would heal the same cluster.
 */
export const MAINTENANCE_QUEUE = 'maintenance';
const SWEEP = 'sweep';

export type MaintenanceJob = { kind: 'sweep' } | { kind: 'heal'; clusterId: string };

export interface Maintenance {
  /** Asks for a heal of one cluster; a no-op while one is waiting or running. */
  requestHeal(clusterId: string): Promise<void>;
  /** Asks for a sweep now (beside the scheduled ones); a no-op while one asked for is waiting. */
  requestSweep(): Promise<void>;
  /** Jobs of the maintenance queue per state. */
  jobCounts(): Promise<JobCounts>;
  close(): Promise<void>;
}

/**
 * Starts this process's share of the reconciler: schedules the sweep (idempotent: every worker upserts the same
 * scheduler), and consumes sweep and heal jobs with `run`.
 */
export async function startMaintenance(
  connection: IORedis,
  prefix: string,
  everyMs: number,
  run: (job: MaintenanceJob) => Promise<void>,
  opts: { lockMs: number; onError: (e: Error) => void },
): Promise<Maintenance> {
  const { queue, worker } = await startScheduledQueue<MaintenanceJob>(connection, prefix, MAINTENANCE_QUEUE, { id: SWEEP, everyMs, data: { kind: 'sweep' } }, (job) => run(job.data), opts);
  return {
    async requestHeal(clusterId) {
      await queue.add('heal', { kind: 'heal', clusterId }, { jobId: `heal-${clusterId}`, removeOnComplete: true, removeOnFail: true });
    },
    async requestSweep() {
      await queue.add(SWEEP, { kind: 'sweep' }, { jobId: 'sweep-now', removeOnComplete: true, removeOnFail: true });
    },
    jobCounts: () => jobCounts(queue),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
