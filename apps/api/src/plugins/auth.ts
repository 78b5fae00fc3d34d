import type { FastifyRequest } from 'fastify';
import { MskError, hasSigV4, verifySigV4 } from '@openmsk/wire';
import type { Principal } from '@openmsk/db';
import type { AppDeps } from '../context';

export interface Caller {
  principal: Principal;
  region: string;
}

const CACHE_MS = 30_000;

/**
 * Authenticates one request: SigV4 (AWS CLI/SDK) or `Authorization: Bearer` (curl, Swagger UI).
 * Secrets are looked up once per CACHE_MS per key so that signature checks stay off the database.
 */
export function authenticator(deps: AppDeps) {
  const keys = new Map<string, { at: number; value: Awaited<ReturnType<AppDeps['accounts']['lookupAccessKey']>> }>();
  const lookup = async (id: string) => {
    const hit = keys.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await deps.accounts.lookupAccessKey(id);
    keys.set(id, { at: Date.now(), value });
    return value;
  };

  return async function authenticate(req: FastifyRequest): Promise<Caller> {
    const { config } = deps;
    if (config.OPENMSK_AUTH === 'none') {
      const account = await deps.accounts.findAccount('default');
      if (!account) throw new MskError('UnrecognizedClientException', 'No default account exists; run npm start once.');
      return { principal: { accountId: account.id }, region: config.OPENMSK_REGION };
    }
    const authorization = req.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const principal = await deps.accounts.lookupToken(authorization.slice(7).trim());
      if (!principal) throw new MskError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      return { principal, region: config.OPENMSK_REGION };
    }
    if (!hasSigV4(req.headers)) {
      throw new MskError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const verified = await verifySigV4(
      { method: req.method, rawUrl: req.raw.url ?? req.url, headers: req.headers, body: req.rawBody ?? Buffer.alloc(0) },
      lookup,
      { maxSkewSeconds: config.OPENMSK_SIGV4_MAX_SKEW_SECONDS },
    );
    return { principal: verified.principal, region: verified.region };
  };
}
