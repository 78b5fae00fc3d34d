import { Queue } from 'bullmq';
import IORedis, { type RedisOptions } from 'ioredis';
import { z } from 'zod';
import { publishWorkerStatus, readWorkerStatus, type WorkerStatus } from './status';
import { jobCounts, type JobCounts } from './counts';

/** The one queue both apps use; the prefix lets tests run side by side on one Redis. */
export const OPERATIONS_QUEUE = 'operations';

/** Every job names one ClusterOperation row; the row holds the rest, so a job can be rebuilt from Postgres. */
export const OperationJob = z.object({ operationId: z.string().uuid() });
export type OperationJob = z.infer<typeof OperationJob>;

/** A connection that fails fast when Redis is down instead of queueing commands forever. */
export function redisConnection(url: string, opts: RedisOptions = {}): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableOfflineQueue: false, lazyConnect: false, ...opts });
}

export interface OperationQueue {
  enqueue(operationId: string): Promise<boolean>;
  /** Jobs of the operations queue per state (rejects when Redis does not answer in time). */
  jobCounts(): Promise<JobCounts>;
  ping(): Promise<boolean>;
  /** The worker's last report (undefined when no worker reported lately or Redis is down). */
  workerStatus(): Promise<WorkerStatus | undefined>;
  publishWorkerStatus(status: WorkerStatus, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}

/** Producer side: jobId = operation id, so enqueueing twice is harmless. */
export function operationQueue(redisUrl: string, prefix: string, timeoutMs = 2000): OperationQueue {
  const connection = redisConnection(redisUrl, { retryStrategy: (n) => Math.min(n * 200, 2000) });
  connection.on('error', () => {}); // surfaced through enqueue()/ping() results instead
  const queue = new Queue(OPERATIONS_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  const withTimeout = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('redis timeout')), timeoutMs).unref())]);
  return {
    async enqueue(operationId) {
      try {
        // A job that failed inside bullmq would block its id forever: clear it so the operation runs again.
        const old = await withTimeout(queue.getJob(operationId));
        if (old && (await old.isFailed())) await old.remove();
        await withTimeout(queue.add('operation', { operationId }, { jobId: operationId, removeOnComplete: 1000, removeOnFail: 5000 }));
        return true;
      } catch {
        return false;
      }
    },
    jobCounts: () => withTimeout(jobCounts(queue)),
    async ping() {
      try {
        return (await withTimeout(connection.ping())) === 'PONG';
      } catch {
        return false;
      }
    },
    async workerStatus() {
      return withTimeout(readWorkerStatus(connection, prefix)).catch(() => undefined);
    },
    async publishWorkerStatus(status, ttlSeconds) {
      await withTimeout(publishWorkerStatus(connection, prefix, status, ttlSeconds)).catch(() => {});
    },
    async close() {
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}
export * from './status';
export * from './counts';
export * from './maintenance';
export * from './collection';
