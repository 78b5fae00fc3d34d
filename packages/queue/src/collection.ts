import { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { jobCounts, type JobCounts } from './counts';

/**
 * The metrics collector's queue: a bullmq job scheduler makes one `collect` job per interval however many workers
 * run, and a global concurrency of 1 means a slow collection delays the next instead of overlapping it. Its own queue,
 * so a long heal on the maintenance queue never leaves a gap in the metrics.
 */
export const METRICS_QUEUE = 'metrics';
const COLLECT = 'collect';

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
  const queue = new Queue(METRICS_QUEUE, { connection, prefix });
  queue.on('error', opts.onError);
  await queue.setGlobalConcurrency(1);
  await queue.upsertJobScheduler(COLLECT, { every: everyMs }, { name: COLLECT, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
  const worker = new Worker(METRICS_QUEUE, () => run(), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: opts.lockMs,
    stalledInterval: Math.max(1000, Math.round(opts.lockMs / 3)),
  });
  worker.on('error', opts.onError);
  return {
    jobCounts: () => jobCounts(queue),
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
