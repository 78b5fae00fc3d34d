/**
 * SASL/SCRAM secrets of a cluster (BatchAssociateScramSecret, BatchDisassociateScramSecret, ListScramSecrets).
 * An association is a row in `scram_secret`; the users on the brokers follow the rows (packages/db syncScramUsers),
 * synced here right after the commit and by the worker's sweep. See docs/client-authentication.md.
 */
import type { BatchAssociateScramSecretResponse, UnprocessedScramSecret } from '@aws-sdk/client-kafka';
import { currentSecretString, scramCredentialOf, syncScramUsers, type Cluster } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { badRequest } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { findCluster } from './clusters';
import { clusterAdmin } from './kafka-admin';
import { decodeToken, encodeToken, pageSize } from './paging';

/** MSK: at most 10 secrets per call and 1,000 users per cluster (docs/client-authentication.md). */
const PER_CALL = 10;
const PER_CLUSTER = 1000;
const PREFIX = 'AmazonMSK_';

const MSG = {
  // Both seen from MSK (see docs/client-authentication.md); the others are openmsk's wording.
  prefix: "The provided secret arn cannot be used with Amazon MSK. Secret names must have the prefix 'AmazonMSK_'",
  noAccess: "Amazon MSK wasn't able to access the provided secret.",
  value: (why: string) => `The provided secret cannot be used with Amazon MSK: ${why}`,
  duplicate: (user: string) => `The user name ${user} is already used by another secret associated with this cluster.`,
  limit: `A cluster can have at most ${PER_CLUSTER} SCRAM secrets associated with it.`,
  notAssociated: 'The provided secret is not associated with this cluster.',
};

const unprocessed = (SecretArn: string, ErrorMessage: string): UnprocessedScramSecret => ({ SecretArn, ErrorCode: 'InvalidSecretArn', ErrorMessage });


async function scramCluster(ctx: RequestContext, arn: string, action: string): Promise<Cluster> {
  const cluster = await findCluster(ctx, arn);
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  if (!spec.ClientAuthentication?.Sasl.Scram.Enabled) {
    throw badRequest('SASL/SCRAM authentication is not enabled for this cluster.', 'clusterArn');
  }
  domain.assertClusterState(cluster.state, domain.SERVING_STATES, action);
  return cluster;
}

function secretArns(list: unknown): string[] {
  if (!Array.isArray(list) || list.length === 0 || list.length > PER_CALL) {
    throw badRequest(`secretArnList must contain between 1 and ${PER_CALL} secret ARNs.`, 'secretArnList');
  }
  return [...new Set(list as string[])];
}

/** The secret is the caller's, in this region: `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6>`. */
function ownSecretName(ctx: RequestContext, arn: string): string | undefined {
  const m = /^arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn);
  return m && m[1] === ctx.region && m[2] === ctx.principal.accountId ? m[3] : undefined;
}

/** Gives the brokers the users the rows now say; a failure is left to the worker's next sweep. */
async function syncSoon(ctx: RequestContext, cluster: Cluster): Promise<void> {
  try {
    await syncScramUsers(ctx.deps.db, ctx.deps.box, cluster.id, await clusterAdmin(ctx, cluster));
  } catch {
    // Brokers unreachable (a roll, a heal): the rows are committed and the sweep applies them.
  }
}

export async function batchAssociateScramSecret(ctx: RequestContext, clusterArn: string, list: unknown): Promise<BatchAssociateScramSecretResponse> {
  const arns = secretArns(list);
  const cluster = await scramCluster(ctx, clusterArn, 'associate SCRAM secrets with');
  const failed: UnprocessedScramSecret[] = [];
  const added = await ctx.deps.db.$transaction(async (tx) => {
    // Serialises associations of one cluster, so the user-name and limit checks see every committed row.
    await tx.$queryRaw`SELECT id FROM cluster WHERE id = ${cluster.id}::uuid FOR UPDATE`;
    const existing = await tx.scramSecret.findMany({ where: { clusterId: cluster.id } });
    const users = new Map<string, string>();
    for (const row of existing) {
      const cred = scramCredentialOf((await currentSecretString(tx, ctx.deps.box, row.secretArn))?.value);
      if (!('invalid' in cred)) users.set(cred.name, row.secretArn);
    }
    let count = existing.length;
    const fresh: string[] = [];
    for (const arn of arns) {
      const name = ownSecretName(ctx, arn);
      const current = name !== undefined ? await currentSecretString(tx, ctx.deps.box, arn) : undefined;
      if (!current) { failed.push(unprocessed(arn, MSG.noAccess)); continue; }
      if (!name!.startsWith(PREFIX)) { failed.push(unprocessed(arn, MSG.prefix)); continue; }
      if (existing.some((r) => r.secretArn === arn)) continue; // already associated: nothing to do
      const cred = scramCredentialOf(current.value);
      if ('invalid' in cred) { failed.push(unprocessed(arn, MSG.value(cred.invalid))); continue; }
      if (users.has(cred.name)) { failed.push(unprocessed(arn, MSG.duplicate(cred.name))); continue; }
      if (count >= PER_CLUSTER) { failed.push(unprocessed(arn, MSG.limit)); continue; }
      users.set(cred.name, arn);
      fresh.push(arn);
      count++;
    }
    if (fresh.length) await tx.scramSecret.createMany({ data: fresh.map((secretArn) => ({ clusterId: cluster.id, secretArn })) });
    return fresh.length;
  });
  if (added) await syncSoon(ctx, cluster);
  return { ClusterArn: cluster.arn, UnprocessedScramSecrets: failed };
}

export async function batchDisassociateScramSecret(ctx: RequestContext, clusterArn: string, list: unknown): Promise<BatchAssociateScramSecretResponse> {
  const arns = secretArns(list);
  const cluster = await scramCluster(ctx, clusterArn, 'disassociate SCRAM secrets from');
  const failed: UnprocessedScramSecret[] = [];
  const removed = await ctx.deps.db.$transaction(async (tx) => {
    const rows = new Set((await tx.scramSecret.findMany({ where: { clusterId: cluster.id, secretArn: { in: arns } } })).map((r) => r.secretArn));
    for (const arn of arns) {
      if (ownSecretName(ctx, arn) === undefined) failed.push(unprocessed(arn, MSG.noAccess));
      else if (!rows.has(arn)) failed.push(unprocessed(arn, MSG.notAssociated));
    }
    const { count } = await tx.scramSecret.deleteMany({ where: { clusterId: cluster.id, secretArn: { in: [...rows] } } });
    return count;
  });
  if (removed) await syncSoon(ctx, cluster);
  return { ClusterArn: cluster.arn, UnprocessedScramSecrets: failed };
}

export async function listScramSecrets(ctx: RequestContext, clusterArn: string, q: { MaxResults?: number; NextToken?: string }) {
  const cluster = await findCluster(ctx, clusterArn);
  const size = pageSize(q.MaxResults);
  const after = decodeToken(q.NextToken);
  const rows = await ctx.deps.db.scramSecret.findMany({
    where: {
      clusterId: cluster.id,
      ...(after && { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, secretArn: { gt: after.id } }] }),
    },
    orderBy: [{ createdAt: 'asc' }, { secretArn: 'asc' }],
    take: size + 1,
  });
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return {
    SecretArnList: items.map((r) => r.secretArn),
    ...(rows.length > size && { NextToken: encodeToken({ createdAt: last.createdAt, id: last.secretArn }) }),
  };
}

/** After a secret's value or state changed (Secrets Manager API): every cluster it is associated with gets it. */
export async function secretChanged(ctx: RequestContext, secretArn: string): Promise<void> {
  const rows = await ctx.deps.db.scramSecret.findMany({ where: { secretArn }, include: { cluster: true } });
  for (const { cluster } of rows) if (domain.SERVING_STATES.includes(cluster.state)) await syncSoon(ctx, cluster);
}
