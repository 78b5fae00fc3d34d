import { loadConfig } from '@openmsk/config';
import { startWorker } from './worker';

/** The worker process: carries out ClusterOperation rows from the queue until SIGINT/SIGTERM. */
async function main() {
  const worker = await startWorker(loadConfig());
  console.log(`openmsk worker running (storage: ${worker.storageKind})`);
  const stop = async () => {
    await worker.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
