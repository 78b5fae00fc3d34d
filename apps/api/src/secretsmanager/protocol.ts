import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps, RequestContext } from '../context';
import type { Caller } from '../plugins/auth';
import { SM_HANDLERS } from './operations';
import { SmError } from './rules';

const PREFIX = 'secretsmanager.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** True when a `POST /` is meant for the Secrets Manager API (its X-Amz-Target names the service). */
export const isSecretsManagerRequest = (req: FastifyRequest) => {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(PREFIX);
};

function sendSmError(reply: FastifyReply, err: SmError) {
  return reply.code(err.status).header('x-amzn-ErrorType', err.code).type(CONTENT_TYPE)
    .send(JSON.stringify({ __type: err.code, message: err.message }));
}

// AWS-PARITY: authentication failures (403) come in the kafka API's form, `x-amzn-ErrorType` and `{"message"}` without
// `__type`; the SDK and the CLI read the header, so they report the same exception AWS would.
/**
 * AWS JSON 1.1 for the `secretsmanager` service: `POST /`, `X-Amz-Target: secretsmanager.<Operation>`, a JSON body,
 * errors as HTTP 400 `{"__type", "message"}`. SigV4 is checked first, scoped to `secretsmanager`, as the kafka API's is.
 */
export function secretsManagerHandler(deps: AppDeps, authenticate: (req: FastifyRequest, service: string) => Promise<Caller>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = await authenticate(req, 'secretsmanager');
    const operation = String(req.headers['x-amz-target']).slice(PREFIX.length);
    try {
      const handler = Object.hasOwn(SM_HANDLERS, operation) ? SM_HANDLERS[operation] : undefined;
      if (handler) req.awsOperation = operation; // a name of the handler table only: bounded metric labels
      if (!handler) throw new SmError('UnknownOperationException', `The operation ${operation} is not implemented by openmsk's Secrets Manager API.`);
      let input: unknown;
      try {
        input = req.rawBody && req.rawBody.length > 0 ? JSON.parse(req.rawBody.toString('utf8')) : {};
      } catch {
        throw new SmError('SerializationException', 'The request body is not valid JSON.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new SmError('SerializationException', 'The request body must be a JSON object.');
      const ctx: RequestContext = { principal: caller.principal, region: caller.region, requestId: req.requestId, deps };
      const output = await handler(ctx, input as Record<string, unknown>);
      return reply.code(200).type(CONTENT_TYPE).send(JSON.stringify(output));
    } catch (e) {
      if (e instanceof SmError) return sendSmError(reply, e);
      throw e;
    }
  };
}
