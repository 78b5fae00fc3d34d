import type IORedis from 'ioredis';

/** What a worker reports about itself for /health (storage kind, encryption at rest, heartbeat). */
export interface WorkerStatus {
  storage: 'xfs-loop' | 'directory';
  storageReason?: string;
  /** Encryption of broker volumes at rest; absent from workers older than the field. Only 'none' today. */
  encryption?: 'none';
  /** What the host could support instead (see packages/runtime encryption.ts). */
  encryptionReason?: string;
  images: string[];
  at: string;
}

const key = (prefix: string) => `${prefix}:worker-status`;

/** Written by the worker on every reconcile sweep; expires when the worker is gone. */
export async function publishWorkerStatus(redis: IORedis, prefix: string, status: WorkerStatus, ttlSeconds: number) {
  await redis.set(key(prefix), JSON.stringify(status), 'EX', ttlSeconds);
}

export async function readWorkerStatus(redis: IORedis, prefix: string): Promise<WorkerStatus | undefined> {
  const raw = await redis.get(key(prefix));
  return raw ? (JSON.parse(raw) as WorkerStatus) : undefined;
}
