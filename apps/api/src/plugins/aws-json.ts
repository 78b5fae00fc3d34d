/**
 * AWS JSON 1.1 on `POST /`, as the Secrets Manager and ACM Private CA APIs speak it: `X-Amz-Target: <prefix><Operation>`,
 * a JSON object body, answers `application/x-amz-json-1.1`, errors as `{"__type", "message"}` with `x-amzn-ErrorType`
 * (HTTP 400 unless the error says otherwise). SigV4 is checked first, scoped to the service's signing name.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './auth';

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** An error of an AWS JSON 1.1 service: its AWS error name (`__type`), message and HTTP status. */
export class AwsJsonError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = code;
  }
}

export interface AwsJsonService<C> {
  /** The X-Amz-Target prefix, e.g. `secretsmanager.`. */
  prefix: string;
  /** SigV4's service name, e.g. `secretsmanager`. */
  signingName: string;
  /** How messages name the API, e.g. "Secrets Manager". */
  title: string;
  handlers: Record<string, (ctx: C, input: Record<string, unknown>) => Promise<object>>;
  context: (caller: Caller, req: FastifyRequest) => C;
  /** The service's own error class (a subclass of AwsJsonError). */
  error: new (code: string, message: string) => AwsJsonError;
}

// AWS-PARITY: authentication failures (403) come in the kafka API's form, `x-amzn-ErrorType` and `{"message"}` without
// `__type`; the SDK and the CLI read the header, so they report the same exception AWS would.
export function awsJsonService<C>(svc: AwsJsonService<C>, authenticate: (req: FastifyRequest, service: string) => Promise<Caller>) {
  const matches = (req: FastifyRequest) => {
    const target = req.headers['x-amz-target'];
    return typeof target === 'string' && target.startsWith(svc.prefix);
  };
  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = await authenticate(req, svc.signingName);
    const operation = String(req.headers['x-amz-target']).slice(svc.prefix.length);
    try {
      const handler = Object.hasOwn(svc.handlers, operation) ? svc.handlers[operation] : undefined;
      if (handler) req.awsOperation = operation; // a name of the handler table only: bounded metric labels
      if (!handler) throw new svc.error('UnknownOperationException', `The operation ${operation} is not implemented by openmsk's ${svc.title} API.`);
      let input: unknown;
      try {
        input = req.rawBody && req.rawBody.length > 0 ? JSON.parse(req.rawBody.toString('utf8')) : {};
      } catch {
        throw new svc.error('SerializationException', 'The request body is not valid JSON.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new svc.error('SerializationException', 'The request body must be a JSON object.');
      const output = await handler(svc.context(caller, req), input as Record<string, unknown>);
      return reply.code(200).type(CONTENT_TYPE).send(JSON.stringify(output));
    } catch (e) {
      if (!(e instanceof AwsJsonError)) throw e;
      return reply.code(e.status).header('x-amzn-ErrorType', e.code).type(CONTENT_TYPE).send(JSON.stringify({ __type: e.code, message: e.message }));
    }
  };
  return { matches, handle };
}
