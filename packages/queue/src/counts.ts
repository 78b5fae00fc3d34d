import type { Queue } from 'bullmq';

/** The bullmq job states the worker's metrics report per queue. */
export const COUNTED_JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type JobCounts = Record<(typeof COUNTED_JOB_STATES)[number], number>;

/** How many jobs a bullmq queue holds in each of COUNTED_JOB_STATES. */
export async function jobCounts(queue: Queue): Promise<JobCounts> {
  const c = await queue.getJobCounts(...COUNTED_JOB_STATES);
  return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
}
