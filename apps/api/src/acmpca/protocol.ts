import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../context';
import type { Caller } from '../plugins/auth';
import { awsJsonService } from '../plugins/aws-json';
import { PCA_HANDLERS, type PcaContext } from './operations';
import { PcaError } from './rules';

/**
 * The ACM Private CA API in AWS JSON 1.1 (plugins/aws-json.ts): `POST /`, `X-Amz-Target: ACMPrivateCA.<Operation>`,
 * SigV4 scoped to `acm-pca`.
 */
export function acmPcaService(deps: AppDeps, authenticate: (req: FastifyRequest, service: string) => Promise<Caller>) {
  return awsJsonService<PcaContext>({
    prefix: 'ACMPrivateCA.',
    signingName: 'acm-pca',
    title: 'ACM Private CA',
    handlers: PCA_HANDLERS,
    context: (caller) => ({ principal: caller.principal, region: caller.region, deps }),
    error: PcaError,
  }, authenticate);
}
