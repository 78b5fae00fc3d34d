import type { Config } from '@openmsk/config';
import type { Db, SecretBox } from '@openmsk/db';
import type { DockerRuntime, VolumeStorage } from '@openmsk/runtime';

/** What the worker's processors need; built once in main.ts, or by a test. */
export interface WorkerDeps {
  config: Config;
  db: Db;
  docker: DockerRuntime;
  storage: VolumeStorage;
  box: SecretBox;
  log: (msg: string, fields?: Record<string, unknown>) => void;
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
