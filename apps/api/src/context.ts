import type { Config } from '@openmsk/config';
import type { WorkerStatus } from '@openmsk/queue';
import type { AccountService, Db, HotReads, Principal, SecretBox } from '@openmsk/db';
import type { KafkaAdminPool } from '@openmsk/kafka';

/** What every operation handler gets: the caller, where it is, and the services. */
export interface RequestContext {
  principal: Principal;
  region: string;
  requestId: string;
  deps: AppDeps;
}

/** Dependencies of the API, built once by server.ts (or by a test). */
export interface AppDeps {
  config: Config;
  db: Db;
  /** The hot reads (finding and listing clusters) on plain pg. */
  reads: HotReads;
  accounts: AccountService;
  /** Seals and opens secrets (access keys, CA keys) with the master key. */
  box: SecretBox;
  /** The Kafka releases whose image is built, read from kafka_image and kept a few seconds (services/versions.ts). */
  versions: VersionCatalog;
  /** One admin client per cluster, over its admin listener (the Topics API; packages/kafka). */
  kafka: KafkaAdminPool;
  /** Enqueues an operation's job; resolves false when the queue is unreachable (the reconciler retries). */
  enqueue: (operationId: string) => Promise<boolean>;
  /** State of Redis for /health. */
  redisPing: () => Promise<boolean>;
  /** The worker's last report for /health (storage kind, images); optional for API-only tests. */
  workerStatus?: () => Promise<WorkerStatus | undefined>;
  /** The built web console (default apps/console/dist, console-site.ts). */
  consoleDir?: string;
}

/** The Kafka releases whose image the worker recorded (table kafka_image). */
export interface VersionCatalog {
  releases: () => Promise<ReadonlySet<string>>;
  /** Forget what was read, so a change to kafka_image shows at once (tests, tools). */
  forget: () => void;
}

/** A handler takes the SDK-shaped (PascalCase) input and returns the SDK-shaped output. */
export type Handler = (ctx: RequestContext, input: Record<string, any>) => Promise<object | void>;
