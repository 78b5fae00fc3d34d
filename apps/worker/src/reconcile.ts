import type { Config } from '@openmsk/config';
import type { Db } from '@openmsk/db';
import { operationQueue } from '@openmsk/queue';

/** Outbox sweep: operations written while Redis was down are enqueued once it is back. */
export async function reconcileQueue(db: Db, config: Config): Promise<number> {
  const pending = await db.clusterOperation.findMany({ where: { enqueued: false, endTime: null }, select: { id: true }, take: 100 });
  if (pending.length === 0) return 0;
  const queue = operationQueue(config.OPENMSK_REDIS_URL, config.OPENMSK_QUEUE_PREFIX);
  try {
    let n = 0;
    for (const { id } of pending) {
      if (await queue.enqueue(id)) {
        await db.clusterOperation.update({ where: { id }, data: { enqueued: true } });
        n++;
      }
    }
    return n;
  } finally {
    await queue.close();
  }
}
