/**
 * Benchmark child: the openmsk API composed exactly as apps/api/src/server.ts does it (createDeps + buildApp,
 * SigV4 on), on 127.0.0.1 and a random port, against the database and queue prefix the parent chose.
 *
 * Parent → child (env): BENCH_DATABASE_URL, BENCH_QUEUE_PREFIX, BENCH_HOME, OPENMSK_LOG_LEVEL (the parent sets it).
 * Child → parent (IPC): { type: 'ready', url, accountId, accessKeyId, secretAccessKey } or { type: 'error', message }.
 * Parent → child (IPC): { type: 'close' }; the child also closes when the parent goes away (IPC disconnect).
 * The parent drops the database and the queue itself, so a killed child leaves nothing behind.
 */
import { loadConfig } from '@openmsk/config';
import { migrate } from '@openmsk/db';
import { listKafkaVersions } from '@openmsk/domain';
import { buildApp } from '../../apps/api/src/app';
import { createDeps } from '../../apps/api/src/deps';

async function main() {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set (this script is started by bench/api.bench.ts)`);
    return v;
  };
  const config = loadConfig(process.env, {
    OPENMSK_DATABASE_URL: env('BENCH_DATABASE_URL'),
    OPENMSK_QUEUE_PREFIX: env('BENCH_QUEUE_PREFIX'),
    OPENMSK_HOME: env('BENCH_HOME'),
    OPENMSK_AUTH: 'sigv4',
    OPENMSK_HOST: '127.0.0.1',
    PORT: 0,
  });
  await migrate(config.OPENMSK_DATABASE_URL);
  const deps = createDeps(config);
  // No worker (and no Docker) here: record every catalog image as built, as the worker would (as the test harness does).
  const releases = [...new Set(listKafkaVersions().map((v) => v.apacheVersion))];
  await deps.db.kafkaImage.createMany({ data: releases.map((release) => ({ release, imageId: `sha256:bench-${release}` })) });
  const app = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const account = await deps.accounts.createAccount('bench');
  const key = await deps.accounts.createAccessKey(account.id);

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    await app.close().catch(() => {});
    await deps.close().catch(() => {});
    process.exit(0);
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'close') void close();
  });
  process.on('disconnect', () => void close());
  process.once('SIGTERM', () => void close());
  process.once('SIGINT', () => void close());
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}`, accountId: account.id, ...key });
}

main().catch((e: Error) => {
  process.send?.({ type: 'error', message: e.stack ?? e.message });
  process.exit(1);
});
