import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { COUNTED_JOB_STATES, type JobCounts } from '@openmsk/queue';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a job, a step, a sweep or a heal ended. */
export type Outcome = 'success' | 'failure' | 'abandoned';

/** Seconds: steps take from milliseconds (rows) to minutes (waiting for brokers, rolling a cluster). */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * The worker's metrics, in a registry of its own (every metric is listed in docs/metrics.md): operation jobs and their
 * steps, the reconciler's sweeps and heals, the depth of the queues (read from Redis at scrape time), and the
 * process's default metrics.
 */
export function workerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'openmsk_worker_' });
  const jobs = new Counter({
    name: 'openmsk_worker_jobs_total',
    help: 'Operation jobs carried to their end, by operation type (CREATE, DELETE, UPDATE_BROKER_STORAGE, ...) and outcome.',
    labelNames: ['operation_type', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'openmsk_worker_job_duration_seconds',
    help: 'Time one operation job took, from loading the operation to recording its end, by operation type.',
    labelNames: ['operation_type'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const steps = new Counter({
    name: 'openmsk_worker_steps_total',
    help: 'Steps of operations run, by step name and outcome.',
    labelNames: ['step', 'outcome'] as const,
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: 'openmsk_worker_step_duration_seconds',
    help: 'Time one step took, by step name.',
    labelNames: ['step'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const sweeps = new Counter({
    name: 'openmsk_worker_sweeps_total',
    help: 'Reconciler sweeps run by this worker, by outcome (failure: a part of the sweep failed; the others still ran).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const sweepDuration = new Histogram({
    name: 'openmsk_worker_sweep_duration_seconds',
    help: 'Time one reconciler sweep took.',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const heals = new Counter({
    name: 'openmsk_worker_heals_total',
    help: 'Heal jobs (one cluster each) run by this worker, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const collections = new Counter({
    name: 'openmsk_worker_metric_collections_total',
    help: 'CloudWatch metric collections (every serving cluster) run by this worker, by outcome (failure: a cluster could not be collected).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const collectionDuration = new Histogram({
    name: 'openmsk_worker_metric_collection_duration_seconds',
    help: 'Time one collection of every serving cluster took.',
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const datapoints = new Counter({
    name: 'openmsk_worker_metric_datapoints_total',
    help: 'CloudWatch datapoints this worker wrote to Postgres.',
    registers: [registry],
  });
  const queues = new Map<string, () => Promise<JobCounts>>();
  new Gauge({
    name: 'openmsk_worker_queue_jobs',
    help: 'Jobs in each queue by bullmq state, read from Redis at scrape time (every worker sees the same queues).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      // A queue Redis does not answer for is left out of this scrape rather than failing it.
      const counts = await Promise.all([...queues].map(async ([name, count]) => [name, await count().catch(() => undefined)] as const));
      this.reset();
      for (const [queue, c] of counts) if (c) for (const state of COUNTED_JOB_STATES) this.set({ queue, state }, c[state]);
    },
  });
  const seconds = (t0: number) => (performance.now() - t0) / 1000;
  return {
    registry,
    /** Adds a queue to `openmsk_worker_queue_jobs`: its name and how to count its jobs. */
    watchQueue(name: string, count: () => Promise<JobCounts>) {
      queues.set(name, count);
    },
    job(operationType: string, outcome: Outcome, t0: number) {
      jobs.inc({ operation_type: operationType, outcome });
      jobDuration.observe({ operation_type: operationType }, seconds(t0));
    },
    step(step: string, outcome: Outcome, t0: number) {
      steps.inc({ step, outcome });
      stepDuration.observe({ step }, seconds(t0));
    },
    sweep(outcome: Outcome, t0: number) {
      sweeps.inc({ outcome });
      sweepDuration.observe(seconds(t0));
    },
    heal(outcome: Outcome) {
      heals.inc({ outcome });
    },
    collection(outcome: Outcome, t0: number, written: number) {
      collections.inc({ outcome });
      collectionDuration.observe(seconds(t0));
      datapoints.inc(written);
    },
  };
}

/** The worker's metrics; `t0` arguments are `performance.now()` at the start. */
export type WorkerMetrics = ReturnType<typeof workerMetrics>;

/**
 * Serves `GET /metrics` on 127.0.0.1:`port` (0 picks a free port); anything else is 404. Resolves once listening,
 * with the port and a close function.
 */
export async function serveMetrics(registry: Registry, port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the worker serves GET /metrics only.\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${e.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
