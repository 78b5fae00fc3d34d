import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { EncodedBody, MskError, decodeRequest, encodeResponse, matchRoute } from '@openmsk/wire';
import { accountCertificateAuthority } from '@openmsk/db';
import type { AppDeps, RequestContext } from './context';
import { registerConsole } from './console-site';
import { registerDocs } from './docs-site';
import { HANDLERS } from './operations';
import { authenticator } from './plugins/auth';
import { awsProtocol, awsServerOptions, sendError } from './plugins/aws-protocol';
import { secretsManagerService } from './secretsmanager/protocol';
import { acmPcaService } from './acmpca/protocol';
import { CBOR_PATH_PREFIX, cloudWatchService } from './cloudwatch/protocol';
import { UNKNOWN_OPERATION, registerMetrics } from './metrics';
import { registerIamVerifier } from './iam-verifier';
import { registerPrometheusSd } from './prometheus-sd';
import { registerOpenmskApi } from './openmsk-api';

/** Builds the API (never listens): MSK operations under /v1 and /api/v2, Secrets Manager and ACM PCA on POST /, plus /, /console/, /health, /metrics, /docs, /openapi.json, /openmsk/prometheus/targets. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.config.OPENMSK_LOG_LEVEL === 'silent' ? false : { level: deps.config.OPENMSK_LOG_LEVEL },
    // ARNs arrive percent-encoded in one segment; routing is done on the raw path by the wire router.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 2048 },
    logController: new LogController({ disableRequestLogging: deps.config.OPENMSK_LOG_LEVEL !== 'debug' && deps.config.OPENMSK_LOG_LEVEL !== 'trace' }),
    // Bad URLs, oversized headers and timeouts answer in the AWS error shape too, not fastify's own.
    ...awsServerOptions,
  });
  await app.register(awsProtocol);
  // Before any route: the response hook counts every request an AWS front door below marks with its operation.
  registerMetrics(app, deps.db);

  await registerDocs(app);
  await registerConsole(app, deps.consoleDir);

  // Postgres and Redis decide the status; the worker's report tells whether clusters can be run and how.
  app.get('/health', async (_req, reply) => {
    const [postgres, redis, worker] = await Promise.all([
      deps.db.$queryRaw`SELECT 1`.then(() => true, () => false),
      deps.redisPing(),
      deps.workerStatus ? deps.workerStatus() : Promise.resolve(undefined),
    ]);
    const ok = postgres && redis;
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      postgres: up(postgres),
      redis: up(redis),
      worker: worker
        ? {
            status: 'up',
            storage: worker.storage,
            ...(worker.storage === 'directory' ? { warning: `broker volumes are plain directories: sizes are not enforced (${worker.storageReason ?? 'requested'})` } : {}),
            // Workers older than the field say nothing about it; none of them encrypted either.
            ...(worker.encryption !== undefined && { encryptionAtRest: worker.encryption }),
            ...(worker.encryption === 'none' && { encryptionWarning: `broker volumes are not encrypted at rest: ${worker.encryptionReason ?? 'not implemented'}` }),
            images: worker.images,
            reportedAt: worker.at,
          }
        : { status: 'unknown' },
    });
  });

  const authenticate = authenticator(deps);
  // The brokers' IAM token checks (not an AWS API: the caller is a cluster, with its own credential).
  registerIamVerifier(app, deps, authenticate.lookupKey);
  // Prometheus' http_sd target discovery of the caller's exporters (not an AWS API: basic_auth with an access key).
  registerPrometheusSd(app, deps, authenticate.lookupKey);
  const dispatch = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    req.awsOperation = UNKNOWN_OPERATION;
    // The target comes from the authenticator: for SigV4, the very path and query pairs the signature covers.
    const caller = await authenticate(req);
    const { path, query } = caller.target;
    const match = matchRoute(req.method, path);
    if (!match) return unknownOperation(reply, req.method, path);
    const name = match.operation.name;
    req.awsOperation = name;
    const handler = HANDLERS[name];
    if (!handler) return notImplemented(reply, name);
    const input = decodeRequest(name, { labels: match.labels, query, body: req.rawBody });
    const ctx: RequestContext = { principal: caller.principal, region: caller.region, requestId: req.requestId, deps };
    const output = await handler(ctx, input);
    reply.code(match.operation.status);
    if (match.operation.status === 204) return reply.send();
    const body = output instanceof EncodedBody ? output.json : JSON.stringify(encodeResponse(name, output ?? {}));
    return reply.type('application/json').send(body);
  };
  // openmsk's own: the account's CA certificate (PEM), which clients trust for TLS listeners.
  app.get('/openmsk/v1/certificate-authority', async (req, reply) => {
    const caller = await authenticate(req);
    const ca = await accountCertificateAuthority(deps.db, deps.box, caller.principal.accountId);
    return reply.type('application/x-pem-file').send(ca.certPem);
  });
  // openmsk's own read endpoints (brokers, consumer groups, offsets, messages, operation progress; openmsk-api.ts).
  registerOpenmskApi(app, deps, authenticate);
  // The Secrets Manager API (AWS JSON 1.1) shares the endpoint: POST / with X-Amz-Target secretsmanager.<Operation>.
  // The ACM Private CA API the same way: X-Amz-Target ACMPrivateCA.<Operation>.
  const secretsManager = secretsManagerService(deps, authenticate);
  const acmPca = acmPcaService(deps, authenticate);
  // CloudWatch (metrics of AWS/Kafka): awsQuery forms and AWS JSON 1.0 on POST /, RPC v2 CBOR on its own path.
  const cloudWatch = cloudWatchService(deps, authenticate);
  app.post('/', async (req, reply) => {
    req.awsOperation = UNKNOWN_OPERATION;
    if (secretsManager.matches(req)) return secretsManager.handle(req, reply);
    if (acmPca.matches(req)) return acmPca.handle(req, reply);
    if (cloudWatch.matches(req)) return cloudWatch.handle(req, reply);
    return unknownOperation(reply, 'POST', '/');
  });
  app.post(`${CBOR_PATH_PREFIX}:operation`, async (req, reply) => {
    req.awsOperation = UNKNOWN_OPERATION;
    return cloudWatch.handleCbor(req, reply);
  });
  for (const prefix of ['/v1/*', '/api/v2/*', '/replication/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler: dispatch });
  }
  // Everything else (other paths, other methods) answers in the same AWS error form, not fastify's own 404 body.
  app.setNotFoundHandler((req, reply) => {
    req.awsOperation = UNKNOWN_OPERATION;
    const rawUrl = req.raw.url ?? req.url;
    const q = rawUrl.indexOf('?');
    return unknownOperation(reply, req.method, q < 0 ? rawUrl : rawUrl.slice(0, q));
  });
  return app;
}

const up = (ok: boolean) => (ok ? 'up' : 'down');

// AWS-PARITY: AWS's front door answers unknown paths with its own 404 shape; ours keeps the JSON error form.
function unknownOperation(reply: import('fastify').FastifyReply, method: string, path: string) {
  return reply.code(404).header('x-amzn-ErrorType', 'UnknownOperationException').type('application/json')
    .send(JSON.stringify({ message: `No MSK operation matches ${method} ${path}.` }));
}

function notImplemented(reply: import('fastify').FastifyReply, name: string) {
  return reply.code(501).header('x-amzn-ErrorType', 'NotImplementedException').type('application/json')
    .send(JSON.stringify({ message: `${name} is not implemented by openmsk yet. See docs/operations.md.` }));
}

export { MskError, sendError };
