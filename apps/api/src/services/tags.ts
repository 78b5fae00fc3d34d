import { Prisma } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';

type Tags = Record<string, string>;
type Tx = Prisma.TransactionClient;
type Table = 'cluster' | 'configuration';

const missing = (arn: string) =>
  notFound(`The specified resource ARN ${arn} was not found. Check the ARN and try again.`, 'resourceArn');

/**
 * Tags live on clusters and configurations; the ARN's resource type says which table. One statement finds the row of
 * the caller's account and region and, with `lock`, locks it (FOR UPDATE), so concurrent Tag/Untag calls on one
 * resource serialise instead of losing updates, and a delete that commits first leaves no row: NotFound.
 */
async function load(ctx: RequestContext, db: Tx, arn: string, lock = false): Promise<{ table: Table; id: string; tags: Tags }> {
  const type = domain.parseArn(arn)?.resourceType;
  if (type !== 'cluster' && type !== 'configuration') throw missing(arn);
  const [row] = await db.$queryRaw<{ id: string; tags: Tags }[]>`
    SELECT id::text AS id, tags FROM ${Prisma.raw(type)}
    WHERE arn = ${arn} AND account_id = ${ctx.principal.accountId} AND region = ${ctx.region} ${Prisma.raw(lock ? 'FOR UPDATE' : '')}`;
  if (!row) throw missing(arn);
  return { table: type, id: row.id, tags: row.tags };
}

async function save(db: Tx, table: Table, id: string, tags: Tags) {
  const data = { tags: tags as Prisma.InputJsonValue };
  if (table === 'cluster') await db.cluster.update({ where: { id }, data });
  else await db.configuration.update({ where: { id }, data });
}

export async function listTags(ctx: RequestContext, arn: string) {
  return { Tags: (await load(ctx, ctx.deps.db, arn)).tags };
}

export async function tagResource(ctx: RequestContext, arn: string, tags: Tags) {
  domain.validateTags(tags);
  await ctx.deps.db.$transaction(async (tx) => {
    const found = await load(ctx, tx, arn, true);
    const merged = { ...found.tags, ...tags };
    domain.assertTagLimit(merged);
    await save(tx, found.table, found.id, merged);
  });
}

export async function untagResource(ctx: RequestContext, arn: string, keys: string[]) {
  domain.validateTagKeys(keys);
  await ctx.deps.db.$transaction(async (tx) => {
    const found = await load(ctx, tx, arn, true);
    const kept = Object.fromEntries(Object.entries(found.tags).filter(([k]) => !keys.includes(k)));
    await save(tx, found.table, found.id, kept);
  });
}
