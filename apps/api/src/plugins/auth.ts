import type { FastifyRequest } from 'fastify';
import { isRegionName, signingRegions } from '@openmsk/domain';
import { MskError, hasSigV4, parseRequestTarget, verifySigV4, type RequestTarget } from '@openmsk/wire';
import type { Principal } from '@openmsk/db';
import type { AppDeps } from '../context';

export interface Caller {
  principal: Principal;
  region: string;
  /** The path and query the handler executes: for SigV4 exactly what the signature covers. */
  target: RequestTarget;
}

const CACHE_MS = 30_000;

const MSG_INVALID_TOKEN = 'The security token included in the request is invalid.';

/**
 * Authenticates one request: SigV4 (AWS CLI/SDK) or `Authorization: Bearer` (curl, Swagger UI), and parses its target
 * once for the handler. Secrets are looked up once per CACHE_MS per key so that signature checks stay off the database.
 */
export function authenticator(deps: AppDeps) {
  const { config } = deps;
  // Every ARN carries the region; one the ARN grammar cannot read back would fail every operation that re-reads its ARN.
  if (!isRegionName(config.OPENMSK_REGION)) {
    throw new Error(`OPENMSK_REGION '${config.OPENMSK_REGION}' is not a region name (lower case, like us-east-1)`);
  }
  const regions = signingRegions(config.OPENMSK_REGION);
  const isRegion = (region: string) => regions.has(region);
  const keys = new Map<string, { at: number; value: Awaited<ReturnType<AppDeps['accounts']['lookupAccessKey']>> }>();
  const lookup = async (id: string) => {
    const hit = keys.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await deps.accounts.lookupAccessKey(id);
    keys.set(id, { at: Date.now(), value });
    return value;
  };

  async function authenticate(req: FastifyRequest): Promise<Caller> {
    const rawUrl = req.raw.url ?? req.url;
    if (config.OPENMSK_AUTH === 'none') {
      const account = await deps.accounts.findAccount('default');
      if (!account) throw new MskError('UnrecognizedClientException', 'No default account exists; run npm start once.');
      return { principal: { accountId: account.id }, region: config.OPENMSK_REGION, target: parseRequestTarget(rawUrl) };
    }
    // Every copy of every header: node keeps only the first Authorization in req.headers.
    const headers = req.raw.headersDistinct;
    const authorization = headers.authorization;
    if (authorization && authorization.length > 1) {
      throw new MskError('IncompleteSignatureException', 'The request carries more than one Authorization header; send exactly one.');
    }
    if (authorization === undefined || authorization[0].trim() === '') {
      throw new MskError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    // openmsk issues no temporary credentials, so no session token can be valid.
    if (headers['x-amz-security-token'] !== undefined) throw new MskError('UnrecognizedClientException', MSG_INVALID_TOKEN);
    if (authorization[0].startsWith('Bearer ')) {
      const principal = await deps.accounts.lookupToken(authorization[0].slice(7).trim());
      if (!principal) throw new MskError('UnrecognizedClientException', MSG_INVALID_TOKEN);
      return { principal, region: config.OPENMSK_REGION, target: parseRequestTarget(rawUrl) };
    }
    if (!hasSigV4(headers)) {
      throw new MskError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const verified = await verifySigV4(
      { method: req.method, rawUrl, headers, body: req.rawBody ?? Buffer.alloc(0) },
      lookup,
      { maxSkewSeconds: config.OPENMSK_SIGV4_MAX_SKEW_SECONDS, isRegion },
    );
    return { principal: verified.principal, region: verified.region, target: verified.target };
  }

  return authenticate;
}
