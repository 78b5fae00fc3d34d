import type { Prisma } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';

type Tags = Record<string, string>;
type Tx = Prisma.TransactionClient;
type Table = 'cluster' | 'configuration';

/**
 * Tags live on clusters and configurations; the ARN's resource type says which table. With `lock`, the row is
 * locked (FOR UPDATE) so that concurrent Tag/Untag calls on one resource serialise instead of losing updates.
 */
async function load(ctx: RequestContext, db: Tx, arn: string, lock = false): Promise<{ table: Table; id: string; tags: Tags }> {
  const parsed = domain.parseArn(arn);
  const where = { arn, accountId: ctx.principal.accountId, region: ctx.region };
  const missing = notFound(`The specified resource ARN ${arn} was not found. Check the ARN and try again.`, 'resourceArn');
  let found: { table: Table; id: string } | undefined;
  if (parsed?.resourceType === 'cluster') {
    const row = await db.cluster.findFirst({ where, select: { id: true } });
    if (row) found = { table: 'cluster', id: row.id };
  } else if (parsed?.resourceType === 'configuration') {
    const row = await db.configuration.findFirst({ where, select: { id: true } });
    if (row) found = { table: 'configuration', id: row.id };
  }
  if (!found) throw missing;
  const [row] = found.table === 'cluster'
    ? lock
      ? await db.$queryRaw<{ tags: Tags }[]>`SELECT tags FROM cluster WHERE id = ${found.id}::uuid FOR UPDATE`
      : await db.$queryRaw<{ tags: Tags }[]>`SELECT tags FROM cluster WHERE id = ${found.id}::uuid`
    : lock
      ? await db.$queryRaw<{ tags: Tags }[]>`SELECT tags FROM configuration WHERE id = ${found.id}::uuid FOR UPDATE`
      : await db.$queryRaw<{ tags: Tags }[]>`SELECT tags FROM configuration WHERE id = ${found.id}::uuid`;
  if (!row) throw missing; // deleted meanwhile
  return { ...found, tags: row.tags };
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
