import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
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

type KeyRecord = NonNullable<Awaited<ReturnType<AppDeps['accounts']['lookupAccessKey']>>>;

/** Limits of the secret cache: a found key is kept 30 s; at most 10,000 keys and about 4 MiB. */
export const SECRET_CACHE = { ttlMs: 30_000, maxEntries: 10_000, maxBytes: 4 * 1024 * 1024 };

/** IAM's AccessKeyId: 16 to 128 word characters. Anything else is refused before a look-up. */
const ACCESS_KEY_ID = /^\w{16,128}$/;

const MSG_INVALID_TOKEN = 'The security token included in the request is invalid.';

/** Every header as a list of its values, from node's joined form (`set-cookie` is already a list). */
function distinctHeaders(headers: FastifyRequest['headers']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v : [v];
  return out;
}

/** What a cached key costs: its strings at two bytes a character, plus the entry and map slot. */
const keyBytes = (id: string, k: KeyRecord) => 2 * (id.length + k.secretAccessKey.length + k.principal.accountId.length) + 128;

/**
 * Authenticates one request: SigV4 (AWS CLI/SDK) or `Authorization: Bearer` (curl, Swagger UI), and parses its target
 * once for the handler. Secrets of found keys are cached (SECRET_CACHE) so that signature checks stay off the
 * database; unknown keys are not cached, so made-up key ids cost a look-up each but no memory, and a key created a
 * moment ago works at once. Concurrent look-ups of one key share one query.
 */
export function authenticator(deps: AppDeps, cacheLimits = SECRET_CACHE) {
  const { config } = deps;
  // Every ARN carries the region; one the ARN grammar cannot read back would fail every operation that re-reads its ARN.
  if (!isRegionName(config.OPENMSK_REGION)) {
    throw new Error(`OPENMSK_REGION '${config.OPENMSK_REGION}' is not a region name (lower case, like us-east-1)`);
  }
  const regions = signingRegions(config.OPENMSK_REGION);
  const isRegion = (region: string) => regions.has(region);
  // lru-cache: bounded in entries and bytes, with a time-to-live, and fetch() shares one look-up among concurrent
  // first requests; a look-up that finds nothing returns undefined, which the cache does not keep.
  const keys = new LRUCache<string, KeyRecord>({
    max: cacheLimits.maxEntries,
    maxSize: cacheLimits.maxBytes,
    sizeCalculation: (value, id) => keyBytes(id, value),
    ttl: cacheLimits.ttlMs,
    fetchMethod: async (id) => (await deps.accounts.lookupAccessKey(id)) ?? undefined,
  });

  const lookup = async (id: string): Promise<KeyRecord | null> => {
    if (!ACCESS_KEY_ID.test(id)) return null;
    return (await keys.fetch(id)) ?? null;
  };

  /** `service` is the SigV4 scope's service: `kafka`, `secretsmanager` (Secrets Manager API) or `acm-pca` (ACM Private CA API). */
  async function authenticate(req: FastifyRequest, service = 'kafka'): Promise<Caller> {
    const rawUrl = req.raw.url ?? req.url;
    if (config.OPENMSK_AUTH === 'none') {
      const account = await deps.accounts.findAccount('default');
      if (!account) throw new MskError('UnrecognizedClientException', 'No default account exists; run npm start once.');
      return { principal: { accountId: account.id }, region: config.OPENMSK_REGION, target: parseRequestTarget(rawUrl) };
    }
    // Every copy of every header: node keeps only the first Authorization in req.headers.
    // (fastify's inject() builds requests without headersDistinct: derive it from the joined headers there.)
    const headers = req.raw.headersDistinct ?? distinctHeaders(req.headers);
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
      { maxSkewSeconds: config.OPENMSK_SIGV4_MAX_SKEW_SECONDS, isRegion, service },
    );
    return { principal: verified.principal, region: verified.region, target: verified.target };
  }

  /** An access key's secret and account through the same cache (the IAM token verifier's look-up). */
  authenticate.lookupKey = lookup;
  /** The secret cache's size, for tests and diagnostics. */
  authenticate.cacheStats = () => ({ entries: keys.size, bytes: keys.calculatedSize });
  return authenticate;
}
