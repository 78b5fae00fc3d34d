import { loadConfig, type Config } from '@openmsk/config';
import { SecretBox, accountService, createDb, createHotReads, loadOrCreateMasterKey } from '@openmsk/db';
import { KafkaAdminPool } from '@openmsk/kafka';
import { operationQueue } from '@openmsk/queue';
import type { AppDeps } from './context';
import { versionCatalog } from './services/versions';

/** Real dependencies from configuration; `close()` releases them. */
export function createDeps(config: Config = loadConfig()): AppDeps & { close: () => Promise<void> } {
  const db = createDb(config.OPENMSK_DATABASE_URL, 10);
  const reads = createHotReads(config.OPENMSK_DATABASE_URL, 10);
  const box = new SecretBox(loadOrCreateMasterKey(config.OPENMSK_HOME, config.OPENMSK_MASTER_KEY));
  const queue = operationQueue(config.OPENMSK_REDIS_URL, config.OPENMSK_QUEUE_PREFIX);
  const kafka = new KafkaAdminPool({ clientId: 'openmsk-api', timeoutMs: 5000 });
  return {
    config,
    db,
    reads,
    accounts: accountService(db, box),
    box,
    versions: versionCatalog(db),
    kafka,
    enqueue: (id) => queue.enqueue(id),
    redisPing: () => queue.ping(),
    workerStatus: () => queue.workerStatus(),
    close: async () => {
      await queue.close();
      await kafka.closeAll();
      await reads.close();
      await db.$disconnect();
    },
  };
}
