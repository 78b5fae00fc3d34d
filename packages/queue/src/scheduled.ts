import { Queue, Worker, type Job } from 'bullmq';
import type IORedis from 'ioredis';

/**
 * A queue whose jobs a bullmq job scheduler makes every `everyMs` (one per interval however many workers upsert the
 * same scheduler), consumed one at a time across every worker (global concurrency 1: a slow job delays the next
 * instead of overlapping it). The reconciler's `maintenance` queue and the collector's `metrics` queue are two.
 */
export async function startScheduledQueue<T>(
  connection: IORedis,
  prefix: string,
  name: string,
  scheduled: { id: string; everyMs: number; data: T },
  run: (job: Job<T>) => Promise<void>,
  opts: { lockMs: number; onError: (e: Error) => void },
): Promise<{ queue: Queue; worker: Worker }> {
  const queue = new Queue(name, { connection, prefix });
  queue.on('error', opts.onError);
  await queue.setGlobalConcurrency(1);
  await queue.upsertJobScheduler(scheduled.id, { every: scheduled.everyMs }, { name: scheduled.id, data: scheduled.data, opts: { removeOnComplete: true, removeOnFail: 100 } });
  const worker = new Worker(name, run, {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: opts.lockMs,
    stalledInterval: Math.max(1000, Math.round(opts.lockMs / 3)),
  });
  worker.on('error', opts.onError);
  return { queue, worker };
}
