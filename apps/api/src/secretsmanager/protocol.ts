import type { FastifyRequest } from 'fastify';
import type { AppDeps, RequestContext } from '../context';
import type { Caller } from '../plugins/auth';
import { awsJsonService } from '../plugins/aws-json';
import { SM_HANDLERS } from './operations';
import { SmError } from './rules';

/**
 * The Secrets Manager API in AWS JSON 1.1 (plugins/aws-json.ts): `POST /`, `X-Amz-Target: secretsmanager.<Operation>`,
 * SigV4 scoped to `secretsmanager`, as the kafka API's is.
 */
export function secretsManagerService(deps: AppDeps, authenticate: (req: FastifyRequest, service: string) => Promise<Caller>) {
  return awsJsonService<RequestContext>({
    prefix: 'secretsmanager.',
    signingName: 'secretsmanager',
    title: 'Secrets Manager',
    handlers: SM_HANDLERS,
    context: (caller, req) => ({ principal: caller.principal, region: caller.region, requestId: req.requestId, deps }),
    error: SmError,
  }, authenticate);
}
