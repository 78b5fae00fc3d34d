/**
 * The API half of IAM client authentication: brokers of a cluster with IAM on hand each new SASL/OAUTHBEARER token to
 * `POST /openmsk/internal/iam-token` (their validator plugin, infra/images/kafka/plugins), with the cluster's own
 * credential, and cache the answer until the token expires. The access keys' secrets never leave the API.
 *
 * Honored: a token signed with an access key of the cluster's own account, for the cluster's region, not expired, is
 * accepted as the principal `arn:aws:iam::<account>:root`, a super user of the cluster (so every `kafka-cluster:*`
 * action is allowed); a token of another account, or any other token, is refused (docs/iam-authentication.md).
 */
import type { FastifyInstance } from 'fastify';
import { iamVerifierCredential } from '@openmsk/db';
import { IAM_TOKEN_VERIFY_PATH, iamPrincipalName, securityOf, hasIamClients, type ClusterSpec } from '@openmsk/domain';
import { IamTokenError, safeEqual, verifyIamToken, type IamKeyRecord } from '@openmsk/wire';
import type { AppDeps } from './context';
import { UNKNOWN_OPERATION } from './metrics';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type KeyLookup = (accessKeyId: string) => Promise<{ secretAccessKey: string; principal: { accountId: string } } | null>;

export function registerIamVerifier(app: FastifyInstance, deps: AppDeps, lookupKey: KeyLookup) {
  const lookupSecret = async (id: string): Promise<IamKeyRecord | null> => {
    const k = await lookupKey(id);
    return k && { secretAccessKey: k.secretAccessKey, accountId: k.principal.accountId };
  };
  app.post(IAM_TOKEN_VERIFY_PATH, async (req, reply) => {
    req.awsOperation = UNKNOWN_OPERATION;
    const refuse = (status: 401 | 403, reason: string) => reply.code(status).type('application/json').send(JSON.stringify({ reason }));
    const body = parseBody(req.rawBody);
    const presented = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!body || !UUID.test(body.clusterId) || !presented || !safeEqual(presented, iamVerifierCredential(deps.box, body.clusterId))) {
      return refuse(403, 'not-a-cluster');
    }
    const cluster = await deps.db.cluster.findUnique({ where: { id: body.clusterId }, select: { accountId: true, region: true, spec: true } });
    if (!cluster || !hasIamClients(securityOf(cluster.spec as unknown as ClusterSpec))) return refuse(403, 'iam-off');
    try {
      const verified = await verifyIamToken(body.token, { region: cluster.region, lookupSecret, maxSkewSeconds: deps.config.OPENMSK_SIGV4_MAX_SKEW_SECONDS });
      if (verified.accountId !== cluster.accountId) return refuse(401, 'other-account');
      return reply.type('application/json').send(JSON.stringify({
        principal: iamPrincipalName(cluster.accountId),
        accessKeyId: verified.accessKeyId,
        startMs: Date.now(),
        expiresMs: verified.expiresAt.getTime(),
      }));
    } catch (e) {
      if (e instanceof IamTokenError) return refuse(401, e.reason);
      throw e;
    }
  });
}

function parseBody(raw: Buffer | undefined): { clusterId: string; token: string } | undefined {
  try {
    const v = JSON.parse(raw?.toString('utf8') ?? '') as unknown;
    if (v && typeof v === 'object' && typeof (v as { clusterId?: unknown }).clusterId === 'string' && typeof (v as { token?: unknown }).token === 'string') {
      return v as { clusterId: string; token: string };
    }
  } catch {
    // not JSON
  }
  return undefined;
}
