import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaClient } from '@aws-sdk/client-kafka';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '@openmsk/config';
import { KafkaAdminPool } from '@openmsk/kafka';
import { SecretBox, accountService, createDb, createHotReads, dropDatabase, migrate, type Db } from '@openmsk/db';
import { operationQueue } from '@openmsk/queue';
import { buildApp } from '../src/app';
import { versionCatalog } from '../src/services/versions';
import { listKafkaVersions } from '@openmsk/domain';

export interface Harness {
  app: FastifyInstance;
  url: string;
  db: Db;
  /** The API's master key box: a worker in the same test must seal and open with the same one. */
  box: SecretBox;
  config: Config;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  token: string;
  client: (creds?: { accessKeyId: string; secretAccessKey: string }, region?: string) => KafkaClient;
  newAccount: (name: string) => Promise<{ accountId: string; accessKeyId: string; secretAccessKey: string }>;
  close: () => Promise<void>;
}

/** The real API on a real port with its own Postgres database and queue prefix (one per test file). */
export async function startApi(overrides: Partial<Config> = {}, opts: { images?: boolean } = {}): Promise<Harness> {
  const suffix = randomBytes(4).toString('hex');
  const base = loadConfig();
  const dbUrl = new URL(base.OPENMSK_DATABASE_URL);
  dbUrl.pathname = `/openmsk_test_${suffix}`;
  const config = loadConfig(process.env, {
    OPENMSK_DATABASE_URL: dbUrl.toString(),
    OPENMSK_QUEUE_PREFIX: `openmsk-test-${suffix}`,
    OPENMSK_HOME: mkdtempSync(join(tmpdir(), 'openmsk-test-')),
    OPENMSK_LOG_LEVEL: 'silent',
    PORT: 0,
    // A worker started on this configuration (stack.ts) serves no /metrics unless a test asks for a port.
    OPENMSK_WORKER_METRICS_PORT: 0,
    ...overrides,
  });
  await migrate(config.OPENMSK_DATABASE_URL);
  const db = createDb(config.OPENMSK_DATABASE_URL, 10);
  if (opts.images !== false) {
    // API-only tests run without Docker: record every catalog image as built, as the worker would.
    const releases = [...new Set(listKafkaVersions().map((v) => v.apacheVersion))];
    await db.kafkaImage.createMany({ data: releases.map((release) => ({ release, imageId: `sha256:test-${release}` })) });
  }
  const box = new SecretBox(randomBytes(32));
  const accounts = accountService(db, box);
  const queue = operationQueue(config.OPENMSK_REDIS_URL, config.OPENMSK_QUEUE_PREFIX);
  const reads = createHotReads(config.OPENMSK_DATABASE_URL, 4);
  const kafka = new KafkaAdminPool({ clientId: 'openmsk-api-test', timeoutMs: 5000 });
  const app = await buildApp({ config, db, reads, accounts, box, versions: versionCatalog(db), kafka, enqueue: (id) => queue.enqueue(id), redisPing: () => queue.ping(), workerStatus: () => queue.workerStatus() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const newAccount = async (name: string) => {
    const account = await accounts.createAccount(name);
    return { accountId: account.id, ...(await accounts.createAccessKey(account.id)) };
  };
  const main = await newAccount('default');
  const token = await accounts.createApiToken(main.accountId, 'test');
  const clients: KafkaClient[] = [];
  return {
    app,
    url,
    db,
    box,
    config,
    accountId: main.accountId,
    credentials: { accessKeyId: main.accessKeyId, secretAccessKey: main.secretAccessKey },
    token,
    newAccount,
    client: (creds = { accessKeyId: main.accessKeyId, secretAccessKey: main.secretAccessKey }, region = 'us-east-1') => {
      const c = new KafkaClient({ endpoint: url, region, credentials: creds, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    close: async () => {
      clients.forEach((c) => c.destroy());
      await app.close();
      await kafka.closeAll();
      await queue.close();
      await reads.close();
      await db.$disconnect();
      await dropDatabase(config.OPENMSK_DATABASE_URL);
    },
  };
}

/** Row counts of every table, to prove a refused request changed nothing. */
export async function rowCounts(db: Db) {
  const [clusters, configurations, revisions, operations, scramSecrets] = await Promise.all([
    db.cluster.count(),
    db.configuration.count(),
    db.configurationRevision.count(),
    db.clusterOperation.count(),
    db.scramSecret.count(),
  ]);
  return { clusters, configurations, revisions, operations, scramSecrets };
}
