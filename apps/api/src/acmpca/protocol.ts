import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../context';
import type { Caller } from '../plugins/auth';
import { PCA_HANDLERS, type PcaContext } from './operations';
import { PcaError } from './rules';

const PREFIX = 'ACMPrivateCA.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** True when a `POST /` is meant for the ACM Private CA API (its X-Amz-Target names the service). */
export const isAcmPcaRequest = (req: FastifyRequest) => {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(PREFIX);
};

function sendPcaError(reply: FastifyReply, err: PcaError) {
  return reply.code(err.status).header('x-amzn-ErrorType', err.code).type(CONTENT_TYPE)
    .send(JSON.stringify({ __type: err.code, message: err.message }));
}

// AWS-PARITY: authentication failures (403) come in the kafka API's form, `x-amzn-ErrorType` and `{"message"}` without
// `__type`, as for the Secrets Manager API; the SDK and the CLI read the header.
/**
 * AWS JSON 1.1 for the `acm-pca` service: `POST /`, `X-Amz-Target: ACMPrivateCA.<Operation>`, a JSON body, errors as
 * HTTP 400 `{"__type", "message"}`. SigV4 is checked first, scoped to `acm-pca`.
 */
export function acmPcaHandler(deps: AppDeps, authenticate: (req: FastifyRequest, service: string) => Promise<Caller>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = await authenticate(req, 'acm-pca');
    const operation = String(req.headers['x-amz-target']).slice(PREFIX.length);
    try {
      const handler = Object.hasOwn(PCA_HANDLERS, operation) ? PCA_HANDLERS[operation] : undefined;
      if (handler) req.awsOperation = operation; // a name of the handler table only: bounded metric labels
      if (!handler) throw new PcaError('UnknownOperationException', `The operation ${operation} is not implemented by openmsk's ACM Private CA API.`);
      let input: unknown;
      try {
        input = req.rawBody && req.rawBody.length > 0 ? JSON.parse(req.rawBody.toString('utf8')) : {};
      } catch {
        throw new PcaError('SerializationException', 'The request body is not valid JSON.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new PcaError('SerializationException', 'The request body must be a JSON object.');
      const ctx: PcaContext = { principal: caller.principal, region: caller.region, deps };
      const output = await handler(ctx, input as Record<string, unknown>);
      return reply.code(200).type(CONTENT_TYPE).send(JSON.stringify(output));
    } catch (e) {
      if (e instanceof PcaError) return sendPcaError(reply, e);
      throw e;
    }
  };
}
