import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { OPERATIONS_QUEUE, redisConnection } from '@openmsk/queue';
import { startApi, type Harness } from '../../api/test/harness';
import { sampleValue, samplesOf, scrape } from '@openmsk/wire';
import { serveMetrics } from '../src/metrics';
import { startWorker, type RunningWorker } from '../src/worker';

// The worker against real Postgres and Redis, with no cluster: Docker is only read (images, the managed containers of
// this test's own OPENMSK_HOME, which has none, and the event stream); storage is plain directories, so no loop device.
let h: Harness;
let worker: RunningWorker;
let base: string;
const logs: string[] = [];

/** A port nothing listens on right now. */
const freePort = () => new Promise<number>((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  }).on('error', reject);
});

beforeAll(async () => {
  h = await startApi({ OPENMSK_RECONCILE_SECONDS: 1, OPENMSK_STORAGE: 'directory' }, { images: false });
  const port = await freePort();
  worker = await startWorker({ ...h.config, OPENMSK_WORKER_METRICS_PORT: port, OPENMSK_METRICS_INTERVAL_SECONDS: 1 }, { box: h.box, log: (m) => logs.push(m) });
  expect(worker.metricsUrl).toBe(`http://127.0.0.1:${port}/metrics`);
  base = worker.metricsUrl!.replace(/\/metrics$/, '');
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
});

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the worker's /metrics", () => {
  test('Prometheus text on 127.0.0.1: jobs, steps, sweeps, heals, queue depth and process metrics', async () => {
    const m = await scrape(base);
    for (const [name, type] of [
      ['openmsk_worker_jobs_total', 'counter'],
      ['openmsk_worker_job_duration_seconds', 'histogram'],
      ['openmsk_worker_steps_total', 'counter'],
      ['openmsk_worker_step_duration_seconds', 'histogram'],
      ['openmsk_worker_sweeps_total', 'counter'],
      ['openmsk_worker_sweep_duration_seconds', 'histogram'],
      ['openmsk_worker_heals_total', 'counter'],
      ['openmsk_worker_metric_collections_total', 'counter'],
      ['openmsk_worker_metric_collection_duration_seconds', 'histogram'],
      ['openmsk_worker_metric_datapoints_total', 'counter'],
      ['openmsk_worker_queue_jobs', 'gauge'],
      ['openmsk_worker_process_cpu_user_seconds_total', 'counter'],
      ['openmsk_worker_nodejs_heap_size_used_bytes', 'gauge'],
    ] as const) expect([name, m.get(name)?.type]).toEqual([name, type]);
    // No operation ran: no job or step series yet.
    expect(samplesOf(m, 'openmsk_worker_jobs_total')).toEqual([]);
    expect(samplesOf(m, 'openmsk_worker_steps_total')).toEqual([]);
    // Every queue, every counted state.
    const series = samplesOf(m, 'openmsk_worker_queue_jobs').map((s) => `${s.labels.queue} ${s.labels.state}`).sort();
    expect(series).toEqual(['maintenance active', 'maintenance delayed', 'maintenance failed', 'maintenance waiting',
      'metrics active', 'metrics delayed', 'metrics failed', 'metrics waiting',
      'operations active', 'operations delayed', 'operations failed', 'operations waiting']);
    expect(logs.filter((l) => l.startsWith('metrics:'))).toEqual([]);
  });

  test('other paths and methods are 404', async () => {
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  test('every sweep of the reconciler counts, with its duration', async () => {
    const sweeps = async () => sampleValue(await scrape(base), 'openmsk_worker_sweeps_total', { outcome: 'success' });
    const first = await until('a sweep', async () => ((await sweeps()) > 0 ? sweeps() : undefined));
    await until('another sweep', async () => ((await sweeps()) > first ? true : undefined));
    const m = await scrape(base);
    const total = samplesOf(m, 'openmsk_worker_sweeps_total').reduce((n, s) => n + s.value, 0);
    expect(sampleValue(m, 'openmsk_worker_sweeps_total', { outcome: 'failure' })).toBe(0);
    expect(sampleValue(m, 'openmsk_worker_sweep_duration_seconds_count')).toBe(total);
    expect(sampleValue(m, 'openmsk_worker_sweep_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sampleValue(m, 'openmsk_worker_heals_total', { outcome: 'success' })).toBe(0);
  });

  test('every metric collection counts, with its duration and the datapoints it wrote (none: no cluster)', async () => {
    const collections = async () => sampleValue(await scrape(base), 'openmsk_worker_metric_collections_total', { outcome: 'success' });
    const first = await until('a collection', async () => ((await collections()) > 0 ? collections() : undefined));
    await until('another collection', async () => ((await collections()) > first ? true : undefined));
    const m = await scrape(base);
    const total = samplesOf(m, 'openmsk_worker_metric_collections_total').reduce((n, s) => n + s.value, 0);
    expect(sampleValue(m, 'openmsk_worker_metric_collections_total', { outcome: 'failure' })).toBe(0);
    expect(sampleValue(m, 'openmsk_worker_metric_collection_duration_seconds_count')).toBe(total);
    expect(sampleValue(m, 'openmsk_worker_metric_datapoints_total')).toBe(0);
  });

  test('the queue gauge is read at scrape time: a delayed job on the operations queue shows', async () => {
    const connection = redisConnection(h.config.OPENMSK_REDIS_URL);
    const q = new Queue(OPERATIONS_QUEUE, { connection, prefix: h.config.OPENMSK_QUEUE_PREFIX });
    const delayed = () => scrape(base).then((m) => sampleValue(m, 'openmsk_worker_queue_jobs', { queue: 'operations', state: 'delayed' }));
    try {
      expect(await delayed()).toBe(0);
      // An operation id with no row: should it ever run, the worker finds nothing to do.
      const job = await q.add('operation', { operationId: randomUUID() }, { delay: 600_000 });
      expect(await delayed()).toBe(1);
      await job.remove();
      expect(await delayed()).toBe(0);
    } finally {
      await q.close();
      connection.disconnect();
    }
  });

  test('a port already taken is refused by serveMetrics (the worker then logs it and runs without /metrics)', async () => {
    const port = Number(new URL(base).port);
    await expect(serveMetrics(worker.deps.metrics.registry, port)).rejects.toThrow(/EADDRINUSE/);
  });
});
