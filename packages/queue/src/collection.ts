import type IORedis from 'ioredis';
import { jobCounts, type JobCounts } from './counts';
import { startScheduledQueue } from './scheduled';

/**
 * The metrics collector's queue: one `collect` job per interval however many workers run, never two at once
 * (startScheduledQueue). Its own queue, so a long heal on the maintenance queue never leaves a gap in the metrics.
 */
export const METRICS_QUEUE = 'metrics';

export interface Collection {
  jobCounts(): Promise<JobCounts>;
  close(): Promise<void>;
}

export async function startCollection(
  connection: IORedis,
  prefix: string,
  everyMs: number,
  run: () => Promise<void>,
  opts: { lockMs: number; onError: (e: Error) => void },
): Promise<Collection> {
  const { queue, worker } = await startScheduledQueue(connection, prefix, METRICS_QUEUE, { id: 'collect', everyMs, data: {} }, () => run(), opts);
  return {
    jobCounts: () => jobCounts(queue),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
