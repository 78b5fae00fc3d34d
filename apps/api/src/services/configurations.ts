import { randomInt, randomUUID } from 'node:crypto';
import type { Configuration as SdkConfiguration, ConfigurationRevision } from '@aws-sdk/client-kafka';
import type { Configuration, ConfigurationRevision as RevisionRow } from '@openmsk/db';
import { isUniqueViolation } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { badRequest, conflict, notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { afterCursor, decodeToken, page, pageSize, type Cursor } from './paging';

const notFoundConfiguration = (arn: string) =>
  notFound(`The specified configuration ARN ${arn} was not found. Check the ARN and try again.`, 'arn');

/** A configuration of the caller's account in the caller's (signing) region; any other is indistinguishable from a missing one. */
export async function findConfiguration(ctx: RequestContext, arn: string): Promise<Configuration> {
  const row = await ctx.deps.db.configuration.findFirst({ where: { arn, accountId: ctx.principal.accountId, region: ctx.region } });
  if (!row) throw notFoundConfiguration(arn);
  return row;
}

/** The revision a cluster asks for in configurationInfo; MSK answers 400 "Invalid Configuration ARN." otherwise. */
export async function findConfigurationRevision(ctx: RequestContext, arn: string, revision: number) {
  const row = await ctx.deps.db.configuration.findFirst({
    where: { arn, accountId: ctx.principal.accountId, region: ctx.region },
    include: { revisions: { where: { revision: BigInt(revision) } } },
  });
  if (!row) throw badRequest('Invalid Configuration ARN.', 'configurationInfo');
  if (row.revisions.length === 0) throw badRequest(`Invalid Configuration revision ${revision}.`, 'configurationInfo');
  return { arn: row.arn, revision: row.revisions[0].revision, kafkaVersions: row.kafkaVersions, serverProperties: row.revisions[0].serverProperties };
}

/** The blob exactly as the client sent it: revisions are immutable and DescribeConfigurationRevision returns these bytes. */
const storedBytes = (blob: Uint8Array | string | undefined, text: string) =>
  blob instanceof Uint8Array ? new Uint8Array(blob) : new Uint8Array(Buffer.from(text, 'utf8'));

const revisionInfo = (r: { revision: bigint; createdAt: Date; description: string | null }): ConfigurationRevision => ({
  CreationTime: r.createdAt,
  Description: r.description ?? undefined,
  Revision: Number(r.revision),
});

/** The row's latest revision; null when the configuration was deleted after the row was read. */
async function latestRevision(ctx: RequestContext, c: Configuration): Promise<RevisionRow | null> {
  return ctx.deps.db.configurationRevision.findUnique({
    where: { configurationId_revision: { configurationId: c.id, revision: c.latestRevision } },
  });
}

function sdkConfiguration(c: Configuration, latest: RevisionRow): SdkConfiguration {
  return {
    Arn: c.arn,
    CreationTime: c.createdAt,
    Description: c.description,
    KafkaVersions: c.kafkaVersions,
    LatestRevision: revisionInfo(latest),
    Name: c.name,
    State: c.state as SdkConfiguration['State'],
  };
}

/** DescribeConfiguration's answer; a configuration deleted meanwhile is NotFound, as it would be a moment later. */
export async function toConfiguration(ctx: RequestContext, c: Configuration): Promise<SdkConfiguration> {
  const latest = await latestRevision(ctx, c);
  if (!latest) throw notFoundConfiguration(c.arn);
  return sdkConfiguration(c, latest);
}

export async function createConfiguration(
  ctx: RequestContext,
  input: Parameters<typeof domain.validateCreateConfiguration>[0],
) {
  const valid = domain.validateCreateConfiguration(input);
  const text = valid.serverProperties;
  const id = randomUUID();
  const arn = domain.configurationArn({ region: ctx.region, account: ctx.principal.accountId }, valid.name, `${id}-${randomInt(1, 8)}`);
  const { db } = ctx.deps;
  try {
    const [created, rev] = await db.$transaction([
      db.configuration.create({
        data: {
          id,
          arn,
          accountId: ctx.principal.accountId,
          region: ctx.region,
          name: input.Name!,
          description: valid.description ?? '',
          kafkaVersions: valid.kafkaVersions,
          latestRevision: 1n,
        },
      }),
      db.configurationRevision.create({
        data: { configurationId: id, revision: 1n, description: valid.description ?? null, serverProperties: storedBytes(input.ServerProperties, text) },
      }),
    ]);
    return { Arn: arn, CreationTime: created.createdAt, LatestRevision: revisionInfo(rev), Name: created.name, State: 'ACTIVE' as const };
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('A resource with this name already exists.', 'name');
    throw e;
  }
}

/**
 * UpdateConfiguration: a new immutable revision; the row lock serialises concurrent updates. A DeleteConfiguration
 * that commits first leaves no row to lock: NotFound, the answer the caller gets from then on.
 */
export async function updateConfiguration(ctx: RequestContext, arn: string, input: Parameters<typeof domain.validateUpdateConfiguration>[0]) {
  const current = await findConfiguration(ctx, arn);
  const valid = domain.validateUpdateConfiguration(input, current.kafkaVersions);
  const text = valid.serverProperties;
  const rev = await ctx.deps.db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ latest_revision: bigint }[]>`
      SELECT latest_revision FROM configuration WHERE id = ${current.id}::uuid FOR UPDATE`;
    if (!locked) throw notFoundConfiguration(arn);
    const next = locked.latest_revision + 1n;
    await tx.configuration.update({ where: { id: current.id }, data: { latestRevision: next } });
    return tx.configurationRevision.create({
      data: { configurationId: current.id, revision: next, description: valid.description ?? null, serverProperties: storedBytes(input.ServerProperties, text) },
    });
  });
  return { Arn: arn, LatestRevision: revisionInfo(rev) };
}

export async function listConfigurations(ctx: RequestContext, q: { MaxResults?: number; NextToken?: string }) {
  const size = pageSize(q.MaxResults);
  const rows = await ctx.deps.db.configuration.findMany({
    where: { accountId: ctx.principal.accountId, region: ctx.region, ...afterCursor(decodeToken(q.NextToken, 'uuid')) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: size + 1,
  });
  const { items, nextToken } = page(rows, size);
  // A configuration deleted between the two reads is left out, as a list read a moment later would.
  const latest = await Promise.all(items.map((c) => latestRevision(ctx, c)));
  const configurations = items.flatMap((c, i) => (latest[i] ? [sdkConfiguration(c, latest[i])] : []));
  return { Configurations: configurations, NextToken: nextToken };
}

export async function listConfigurationRevisions(ctx: RequestContext, arn: string, q: { MaxResults?: number; NextToken?: string }) {
  const c = await findConfiguration(ctx, arn);
  const size = pageSize(q.MaxResults);
  const after = decodeToken(q.NextToken, 'revision');
  const from = after ? BigInt(after.id) : 0n;
  const rows = await ctx.deps.db.configurationRevision.findMany({
    where: { configurationId: c.id, revision: { gt: from } },
    orderBy: { revision: 'asc' },
    take: size + 1,
  });
  const keyed: (RevisionRow & Cursor)[] = rows.map((r) => ({ ...r, id: String(r.revision) }));
  const { items, nextToken } = page(keyed, size);
  return { Revisions: items.map(revisionInfo), NextToken: nextToken };
}

export async function describeConfigurationRevision(ctx: RequestContext, arn: string, revision: number) {
  const c = await findConfiguration(ctx, arn);
  const row = Number.isSafeInteger(revision) && revision > 0
    ? await ctx.deps.db.configurationRevision.findUnique({
        where: { configurationId_revision: { configurationId: c.id, revision: BigInt(revision) } },
      })
    : null;
  if (!row) throw notFound(`The specified revision ${revision} of configuration ${arn} was not found.`, 'revision');
  return {
    Arn: c.arn,
    CreationTime: row.createdAt,
    Description: row.description ?? undefined,
    Revision: Number(row.revision),
    ServerProperties: new Uint8Array(row.serverProperties),
  };
}

export async function deleteConfiguration(ctx: RequestContext, arn: string) {
  const c = await findConfiguration(ctx, arn);
  const { db } = ctx.deps;
  await db.$transaction(async (tx) => {
    // Lock the configuration so a cluster cannot attach it between the check and the delete. No row: a concurrent
    // DeleteConfiguration committed first, and this one answers NotFound like any later one.
    const [locked] = await tx.$queryRaw<unknown[]>`SELECT id FROM configuration WHERE id = ${c.id}::uuid FOR UPDATE`;
    if (!locked) throw notFoundConfiguration(arn);
    const inUse = await tx.cluster.count({ where: { configurationArn: c.arn } });
    if (inUse > 0) {
      throw badRequest('Configuration is in use by one or more clusters. Dissociate the configuration from the clusters.', 'arn');
    }
    await tx.configuration.delete({ where: { id: c.id } });
  });
  return { Arn: arn, State: 'DELETING' as const };
}
