import type { Prisma } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';

type Tags = Record<string, string>;

/** Tags live on clusters and configurations; the ARN's resource type says which table. */
async function load(ctx: RequestContext, arn: string): Promise<{ table: 'cluster' | 'configuration'; id: string; tags: Tags }> {
  const parsed = domain.parseArn(arn);
  const where = { arn, accountId: ctx.principal.accountId };
  const missing = notFound(`The specified resource ARN ${arn} was not found. Check the ARN and try again.`, 'resourceArn');
  if (parsed?.resourceType === 'cluster') {
    const row = await ctx.deps.db.cluster.findFirst({ where, select: { id: true, tags: true } });
    if (row) return { table: 'cluster', id: row.id, tags: row.tags as Tags };
  } else if (parsed?.resourceType === 'configuration') {
    const row = await ctx.deps.db.configuration.findFirst({ where, select: { id: true, tags: true } });
    if (row) return { table: 'configuration', id: row.id, tags: row.tags as Tags };
  }
  throw missing;
}

async function save(ctx: RequestContext, table: 'cluster' | 'configuration', id: string, tags: Tags) {
  const data = { tags: tags as Prisma.InputJsonValue };
  if (table === 'cluster') await ctx.deps.db.cluster.update({ where: { id }, data });
  else await ctx.deps.db.configuration.update({ where: { id }, data });
}

export async function listTags(ctx: RequestContext, arn: string) {
  return { Tags: (await load(ctx, arn)).tags };
}

export async function tagResource(ctx: RequestContext, arn: string, tags: Tags) {
  const found = await load(ctx, arn);
  const merged = { ...found.tags, ...tags };
  domain.validateTags(merged);
  await save(ctx, found.table, found.id, merged);
}

export async function untagResource(ctx: RequestContext, arn: string, keys: string[]) {
  const found = await load(ctx, arn);
  const kept = Object.fromEntries(Object.entries(found.tags).filter(([k]) => !keys.includes(k)));
  await save(ctx, found.table, found.id, kept);
}
