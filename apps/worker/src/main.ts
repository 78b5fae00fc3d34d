import { loadConfig } from '@openmsk/config';
import { workerLogger } from './log';
import { startWorker } from './worker';

/** The worker process: carries out ClusterOperation rows from the queue until SIGINT/SIGTERM. */
async function main() {
  const worker = await startWorker(loadConfig());
  worker.deps.log(`openmsk worker running (storage: ${worker.storageKind}, encryption at rest: ${worker.encryptionKind}, metrics: ${worker.metricsUrl ?? 'off'})`);
  const stop = async () => {
    await worker.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  // The configuration may be what failed, so a fixed level here.
  workerLogger({ OPENMSK_LOG_LEVEL: 'info' }).fatal({ err: e }, 'worker failed to start');
  process.exit(1);
});
