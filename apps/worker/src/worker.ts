import { Worker } from 'bullmq';
import type { Config } from '@openmsk/config';
import { SecretBox, createDb, loadOrCreateMasterKey } from '@openmsk/db';
import { OPERATIONS_QUEUE, redisConnection } from '@openmsk/queue';
import { dockerRuntime, volumeStorage, volumesRoot } from '@openmsk/runtime';
import type { WorkerDeps } from './deps';
import { processOperation } from './process';
import { reconcileQueue } from './reconcile';

export interface RunningWorker {
  deps: WorkerDeps;
  storageKind: string;
  close: () => Promise<void>;
}

/** Builds the worker's dependencies and starts consuming the operations queue (main.ts and e2e tests). */
export async function startWorker(config: Config, opts: { log?: WorkerDeps['log']; box?: SecretBox } = {}): Promise<RunningWorker> {
  const db = createDb(config.OPENMSK_DATABASE_URL, 5);
  const storage = volumeStorage({ root: volumesRoot(config.OPENMSK_HOME), mode: config.OPENMSK_STORAGE });
  const probe = await storage.probe();
  if (probe.kind === 'directory') {
    console.warn(`[worker] WARNING: broker volumes are plain directories, not sized file systems (${probe.reason ?? 'requested'})`);
  }
  const deps: WorkerDeps = {
    config,
    db,
    docker: dockerRuntime(),
    storage,
    box: opts.box ?? new SecretBox(loadOrCreateMasterKey(config.OPENMSK_HOME, config.OPENMSK_MASTER_KEY)),
    log: opts.log ?? ((msg, fields) => console.log(`[worker] ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`)),
  };
  const connection = redisConnection(config.OPENMSK_REDIS_URL);
  connection.on('error', () => {});
  const worker = new Worker(OPERATIONS_QUEUE, (job) => processOperation(deps, job.data.operationId), {
    connection,
    prefix: config.OPENMSK_QUEUE_PREFIX,
    concurrency: 4,
    // A crashed worker's job is picked up again after its lock expires without a heartbeat.
    lockDuration: 30_000,
    stalledInterval: 15_000,
  });
  worker.on('error', (e) => deps.log(`queue: ${e.message}`));
  const sweep = () => reconcileQueue(db, config).catch((e) => deps.log(`reconcile: ${(e as Error).message}`));
  const timer = setInterval(sweep, 5000);
  await sweep();
  return {
    deps,
    storageKind: probe.kind,
    close: async () => {
      clearInterval(timer);
      await worker.close();
      connection.disconnect();
      await db.$disconnect();
    },
  };
}
