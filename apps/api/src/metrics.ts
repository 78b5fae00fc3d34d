import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '@openmsk/db';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The AWS operation this request was dispatched to (`DescribeCluster`, `CreateSecret`, `IssueCertificate`), or
     * `unknown` once it reached an AWS front door without matching one; unset for openmsk's own paths (`/health`, ...).
     */
    awsOperation?: string;
  }
}

/** The operation label of requests that reached an AWS front door but matched no operation. */
export const UNKNOWN_OPERATION = 'unknown';

/** Seconds: API requests answer in milliseconds; a create or a CA's key generation may take a second or more. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The API's metrics, in a registry of its own (buildApp may run many times in one process): requests per AWS
 * operation with status and latency, clusters by state (read at scrape time), and the process's default metrics.
 * Every metric is listed in docs/metrics.md.
 */
export function apiMetrics(db: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'openmsk_api_' });
  const requests = new Counter({
    name: 'openmsk_api_requests_total',
    help: 'API requests answered, by AWS operation (unknown: no operation matched) and HTTP status.',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'openmsk_api_request_duration_seconds',
    help: 'Time from receiving an API request to its response, by AWS operation.',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'openmsk_clusters',
    help: 'Clusters by state, every account and region (read from Postgres at scrape time).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ state: string; n: number }[]>`SELECT state, count(*)::int AS n FROM cluster GROUP BY state`;
      // A state no cluster is in any more disappears instead of keeping its last count.
      this.reset();
      for (const r of rows) this.set({ state: r.state }, r.n);
    },
  });
  return {
    registry,
    /** Records one answered request; only requests that reached an AWS front door carry an operation. */
    observe(req: FastifyRequest, reply: FastifyReply) {
      const operation = req.awsOperation;
      if (operation === undefined) return;
      requests.inc({ operation, status: String(reply.statusCode) });
      duration.observe({ operation }, reply.elapsedTime / 1000);
    },
  };
}

/** `GET /metrics` (Prometheus text, no authentication, like /health) and the hook that counts requests. */
export function registerMetrics(app: FastifyInstance, db: Db) {
  const metrics = apiMetrics(db);
  app.decorateRequest('awsOperation', undefined);
  app.addHook('onResponse', async (req, reply) => metrics.observe(req, reply));
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  return metrics;
}
