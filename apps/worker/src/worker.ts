import { Worker } from 'bullmq';
import type { Config } from '@openmsk/config';
import { SecretBox, createDb, loadOrCreateMasterKey } from '@openmsk/db';
import { MAINTENANCE_QUEUE, METRICS_QUEUE, OPERATIONS_QUEUE, operationQueue, redisConnection, startCollection, startMaintenance } from '@openmsk/queue';
import { KafkaAdminPool } from '@openmsk/kafka';
import { dockerRuntime, probeEncryption, volumeStorage, volumesRoot } from '@openmsk/runtime';
import type { WorkerDeps } from './deps';
import { processOperation } from './process';
import { syncScramClusters } from './scram';
import { clustersToHeal, healClusters, reconcileOrphans, reconcileQueue, renewCertificates, watchContainers } from './reconcile';
import { recordImages } from './images';
import { workerLog, workerLogger } from './log';
import { serveMetrics, workerMetrics } from './metrics';
import { CollectorState, collectMetrics } from './collector';

export interface RunningWorker {
  deps: WorkerDeps;
  storageKind: string;
  /** Encryption of broker volumes at rest: 'none' today (the reason is logged at start and published for /health). */
  encryptionKind: string;
  /** Where this worker serves Prometheus metrics; undefined when OPENMSK_WORKER_METRICS_PORT is 0 or the port was taken. */
  metricsUrl?: string;
  close: () => Promise<void>;
}

/** Builds the worker's dependencies and starts consuming the operations queue (main.ts and e2e tests). */
export async function startWorker(config: Config, opts: { log?: WorkerDeps['log']; box?: SecretBox } = {}): Promise<RunningWorker> {
  const log = opts.log ?? workerLog(workerLogger(config));
  const db = createDb(config.OPENMSK_DATABASE_URL, 5);
  const storage = volumeStorage({ root: volumesRoot(config.OPENMSK_HOME), mode: config.OPENMSK_STORAGE });
  const probe = await storage.probe();
  if (probe.kind === 'directory') {
    log(`broker volumes are plain directories, not sized file systems (${probe.reason ?? 'requested'})`, undefined, 'warn');
  }
  // Said as loudly as the storage fallback: DescribeCluster reports a KMS key, but nothing is encrypted.
  const encryption = await probeEncryption();
  if (encryption.kind === 'none') log(`broker volumes are not encrypted at rest: ${encryption.reason}`, undefined, 'warn');
  const deps: WorkerDeps = {
    config,
    db,
    docker: dockerRuntime(),
    storage,
    box: opts.box ?? new SecretBox(loadOrCreateMasterKey(config.OPENMSK_HOME, config.OPENMSK_MASTER_KEY)),
    kafka: new KafkaAdminPool({ clientId: 'openmsk-worker', timeoutMs: 4000 }),
    log,
    metrics: workerMetrics(),
  };
  let images = await recordImages(db, deps.docker);
  if (images.length === 0) deps.log('no Kafka image is built; run scripts/images.sh (npm start does)', undefined, 'warn');
  const connection = redisConnection(config.OPENMSK_REDIS_URL);
  connection.on('error', () => {});
  const worker = new Worker(OPERATIONS_QUEUE, (job) => processOperation(deps, job.data.operationId), {
    connection,
    prefix: config.OPENMSK_QUEUE_PREFIX,
    concurrency: 4,
    // A crashed worker's job is picked up again once its lock expires without a heartbeat.
    lockDuration: config.OPENMSK_JOB_LOCK_SECONDS * 1000,
    stalledInterval: Math.max(1000, Math.round((config.OPENMSK_JOB_LOCK_SECONDS * 1000) / 3)),
  });
  worker.on('error', (e) => deps.log(`queue: ${e.message}`, undefined, 'error'));
  const queue = operationQueue(config.OPENMSK_REDIS_URL, config.OPENMSK_QUEUE_PREFIX);
  // This worker's own report for /health, on its own timer: every worker has one.
  const heartbeat = async () => {
    images = await recordImages(db, deps.docker).catch(() => images);
    await queue.publishWorkerStatus(
      { storage: probe.kind, storageReason: probe.reason, encryption: encryption.kind, encryptionReason: encryption.reason, images, at: new Date().toISOString() },
      config.OPENMSK_RECONCILE_SECONDS * 3,
    );
  };
  // The reconciler: one sweep per interval across every worker, never two at once (see packages/queue maintenance).
  const maintenance = await startMaintenance(connection, config.OPENMSK_QUEUE_PREFIX, config.OPENMSK_RECONCILE_SECONDS * 1000, async (job) => {
    if (job.kind === 'heal') {
      try {
        await healClusters(deps, job.clusterId);
      } catch (e) {
        deps.metrics.heal('failure');
        throw e;
      }
      deps.metrics.heal('success');
      return;
    }
    // Each part runs whatever the others did; the sweep counts as a failure when any part failed.
    const t0 = performance.now();
    let failed = false;
    const part = (what: string) => (e: unknown) => {
      failed = true;
      deps.log(`${what}: ${(e as Error).message}`, undefined, 'error');
    };
    await reconcileQueue(db, queue).catch(part('reconcile queue'));
    await reconcileOrphans(deps).catch(part('reconcile containers'));
    for (const clusterId of await clustersToHeal(deps).catch(() => ((failed = true), []))) await maintenance.requestHeal(clusterId);
    await renewCertificates(deps).catch(part('certificates'));
    await syncScramClusters(deps).catch(part('SCRAM users'));
    deps.metrics.sweep(failed ? 'failure' : 'success', t0);
  }, { lockMs: config.OPENMSK_JOB_LOCK_SECONDS * 1000, onError: (e) => deps.log(`maintenance queue: ${e.message}`, undefined, 'error') });
  // CloudWatch metrics: one collection per interval across every worker (packages/queue collection).
  const collectorState = new CollectorState();
  const collection = config.OPENMSK_METRICS_INTERVAL_SECONDS === 0
    ? undefined
    : await startCollection(connection, config.OPENMSK_QUEUE_PREFIX, config.OPENMSK_METRICS_INTERVAL_SECONDS * 1000, async () => {
      await collectMetrics(deps, collectorState);
    }, { lockMs: config.OPENMSK_JOB_LOCK_SECONDS * 1000, onError: (e) => deps.log(`metrics queue: ${e.message}`, undefined, 'error') });
  deps.metrics.watchQueue(OPERATIONS_QUEUE, () => queue.jobCounts());
  if (collection) deps.metrics.watchQueue(METRICS_QUEUE, () => collection.jobCounts());
  deps.metrics.watchQueue(MAINTENANCE_QUEUE, () => maintenance.jobCounts());
  // On 127.0.0.1 only. A port already taken (a second worker on this host) costs the metrics, not the worker.
  const server = config.OPENMSK_WORKER_METRICS_PORT === 0
    ? undefined
    : await serveMetrics(deps.metrics.registry, config.OPENMSK_WORKER_METRICS_PORT).catch((e: Error) => {
      deps.log(`metrics: cannot listen on 127.0.0.1:${config.OPENMSK_WORKER_METRICS_PORT} (${e.message}); /metrics is off`, undefined, 'error');
      return undefined;
    });
  const timer = setInterval(() => void heartbeat(), config.OPENMSK_RECONCILE_SECONDS * 1000);
  const unwatch = watchContainers(deps, (clusterId) => maintenance.requestHeal(clusterId), () => maintenance.requestSweep());
  await heartbeat();
  return {
    deps,
    storageKind: probe.kind,
    encryptionKind: encryption.kind,
    metricsUrl: server && `http://127.0.0.1:${server.port}/metrics`,
    close: async () => {
      await server?.close();
      clearInterval(timer);
      unwatch();
      await maintenance.close();
      await collection?.close();
      await worker.close();
      await queue.close();
      connection.disconnect();
      await deps.kafka.closeAll();
      await db.$disconnect();
    },
  };
}
