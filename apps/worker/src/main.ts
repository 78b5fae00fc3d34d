import { Worker } from 'bullmq';
import { loadConfig } from '@openmsk/config';
import { createDb } from '@openmsk/db';
import { OPERATIONS_QUEUE, redisConnection } from '@openmsk/queue';
import { processOperation } from './process';
import { reconcileQueue } from './reconcile';

/** The worker: carries out ClusterOperation rows from the queue, and re-enqueues any the queue lost. */
async function main() {
  const config = loadConfig();
  const db = createDb(config.OPENMSK_DATABASE_URL, 5);
  const worker = new Worker(OPERATIONS_QUEUE, (job) => processOperation(db, job.data.operationId), {
    connection: redisConnection(config.OPENMSK_REDIS_URL),
    prefix: config.OPENMSK_QUEUE_PREFIX,
    concurrency: 4,
  });
  worker.on('error', (e) => console.error(`[worker] ${e.message}`));
  const timer = setInterval(() => {
    reconcileQueue(db, config).catch((e) => console.error(`[worker] reconcile: ${e.message}`));
  }, 5000);
  await reconcileQueue(db, config).catch((e) => console.error(`[worker] reconcile: ${e.message}`));
  console.log('openmsk worker running');
  const stop = async () => {
    clearInterval(timer);
    await worker.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
