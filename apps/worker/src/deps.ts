import type { Config } from '@openmsk/config';
import type { Db, SecretBox } from '@openmsk/db';
import type { KafkaAdminPool } from '@openmsk/kafka';
import type { DockerRuntime, VolumeStorage } from '@openmsk/runtime';
import type { WorkerMetrics } from './metrics';

/** The levels `WorkerDeps.log` takes (pino's, without fatal and trace). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** What the worker's processors need; built once in main.ts, or by a test. */
export interface WorkerDeps {
  config: Config;
  db: Db;
  docker: DockerRuntime;
  storage: VolumeStorage;
  box: SecretBox;
  /** One admin client per cluster, over its admin listener (packages/kafka). */
  kafka: KafkaAdminPool;
  /** A line of the worker's log (log.ts puts it on pino); `level` is info when left out. */
  log: (msg: string, fields?: Record<string, unknown>, level?: LogLevel) => void;
  /** This worker's Prometheus metrics (metrics.ts), served on OPENMSK_WORKER_METRICS_PORT. */
  metrics: WorkerMetrics;
}

/** A failure that becomes the cluster's stateInfo {code, message}. */
export class ProvisionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
