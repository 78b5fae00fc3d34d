import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Prisma, type Secret, type SecretVersion } from '@openmsk/db';
import type { RequestContext } from '../context';
import { secretChanged } from '../services/scram';
import {
  MSG, SmError, checkDescription, checkName, checkSecretId, checkTags, checkToken, deletionWindow, epoch,
  invalidParameter, invalidRequest, mergeTags, parseSecretId, readValue, secretArn, type SecretValue, type Tag,
} from './rules';

type Input = Record<string, any>;
type Tx = Prisma.TransactionClient;
/** One Secrets Manager operation: JSON in, JSON out (AWS's member names). */
export type SmHandler = (ctx: RequestContext, input: Input) => Promise<object>;

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const secretNotFound = () => new SmError('ResourceNotFoundException', MSG.notFound);

const seal = (ctx: RequestContext, v: SecretValue) => ctx.deps.box.seal(JSON.stringify(v));
const open = (ctx: RequestContext, sealed: string) => JSON.parse(ctx.deps.box.open(sealed)) as SecretValue;
const sameValue = (a: SecretValue, b: SecretValue) => a.SecretString === b.SecretString && a.SecretBinary === b.SecretBinary;

// AWS-PARITY: AWS deletes a secret when its recovery window ends; openmsk deletes it at the first request that meets it
// afterwards (and ListSecrets no longer shows it), which looks the same from outside without a sweeper.
/**
 * The caller's secret that `id` names, locked for the transaction; another account's or region's is missing. A secret
 * whose recovery window has passed is deleted here, so it answers as missing (no sweeper is needed).
 */
async function findSecret(tx: Tx, ctx: RequestContext, rawId: unknown): Promise<Secret> {
  const id = parseSecretId(checkSecretId(rawId));
  const { accountId } = ctx.principal;
  if ((id.accountId && id.accountId !== accountId) || (id.region && id.region !== ctx.region)) throw secretNotFound();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM secret WHERE account_id = ${accountId} AND region = ${ctx.region}
      AND (arn = ${id.arn ?? ''} OR name = ${id.name}) ORDER BY (arn = ${id.arn ?? ''}) DESC LIMIT 1 FOR UPDATE`;
  if (rows.length === 0) throw secretNotFound();
  const secret = await tx.secret.findUniqueOrThrow({ where: { id: rows[0].id } });
  if (secret.deletionDate && secret.deletionDate <= new Date()) {
    await tx.secret.delete({ where: { id: secret.id } });
    throw secretNotFound();
  }
  return secret;
}

const usable = (secret: Secret) => {
  if (secret.deletedAt) throw invalidRequest(MSG.markedForDeletion);
  return secret;
};

// AWS-PARITY: versions left without a staging label are kept (AWS removes them after a while and beyond 100 versions);
// they are never listed, since ListSecretVersionIds is not implemented.
/**
 * A new version with `stages` (AWSCURRENT by default): each stage moves off the version that had it, and the version
 * losing AWSCURRENT becomes AWSPREVIOUS. The same token with the same value is the same version (a retry); with
 * another value it is refused.
 */
async function addVersion(tx: Tx, ctx: RequestContext, secret: Secret, value: SecretValue, token: string | undefined, stages = [CURRENT]) {
  const versionId = token ?? randomUUID();
  const existing = await tx.secretVersion.findUnique({ where: { secretId_versionId: { secretId: secret.id, versionId } } });
  if (existing) {
    if (!sameValue(open(ctx, existing.valueEnc), value)) throw new SmError('ResourceExistsException', MSG.versionExists);
    return existing;
  }
  const versions = await tx.secretVersion.findMany({ where: { secretId: secret.id } });
  for (const v of versions) {
    let next = v.stages.filter((s) => !stages.includes(s));
    if (stages.includes(CURRENT)) {
      next = next.filter((s) => s !== PREVIOUS);
      if (v.stages.includes(CURRENT)) next.push(PREVIOUS);
    }
    if (next.length !== v.stages.length || next.some((s, i) => s !== v.stages[i])) {
      await tx.secretVersion.update({ where: { secretId_versionId: { secretId: v.secretId, versionId: v.versionId } }, data: { stages: next } });
    }
  }
  await tx.secret.update({ where: { id: secret.id }, data: { lastChangedAt: new Date() } });
  return tx.secretVersion.create({ data: { secretId: secret.id, versionId, valueEnc: seal(ctx, value), stages } });
}

const stagesOf = (versions: SecretVersion[]) =>
  Object.fromEntries(versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, v.stages]));

const tagsOf = (secret: Secret) => secret.tags as unknown as Tag[];

/** DescribeSecret's and ListSecrets' view of a secret: never its value. */
function describe(secret: Secret, versions: SecretVersion[], versionsKey: 'VersionIdsToStages' | 'SecretVersionsToStages') {
  const tags = tagsOf(secret);
  return {
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== null ? { Description: secret.description } : {}),
    ...(secret.kmsKeyId !== null ? { KmsKeyId: secret.kmsKeyId } : {}),
    LastChangedDate: epoch(secret.lastChangedAt),
    ...(secret.lastAccessedAt ? { LastAccessedDate: epoch(secret.lastAccessedAt) } : {}),
    ...(secret.deletedAt ? { DeletedDate: epoch(secret.deletedAt) } : {}),
    ...(tags.length > 0 ? { Tags: tags } : {}),
    [versionsKey]: stagesOf(versions),
    CreatedDate: epoch(secret.createdAt),
  };
}

const tx = <T>(ctx: RequestContext, fn: (tx: Tx) => Promise<T>) => ctx.deps.db.$transaction(fn);

async function createSecret(ctx: RequestContext, input: Input) {
  const name = checkName(input.Name);
  const token = checkToken(input.ClientRequestToken);
  const description = checkDescription(input.Description);
  const value = readValue(input);
  const tags = checkTags(input.Tags);
  // AWS-PARITY: there is no KMS; KmsKeyId is stored and described, but every value is sealed with the master key.
  const kmsKeyId = typeof input.KmsKeyId === 'string' ? input.KmsKeyId : undefined;
  return tx(ctx, async (t) => {
    const { accountId } = ctx.principal;
    let existing = await t.secret.findUnique({ where: { accountId_region_name: { accountId, region: ctx.region, name } } });
    if (existing?.deletionDate && existing.deletionDate <= new Date()) {
      await t.secret.delete({ where: { id: existing.id } });
      existing = null;
    }
    if (existing) {
      // A retry of the very same request (same token, same value) answers as the first one did.
      const version = token && value
        ? await t.secretVersion.findUnique({ where: { secretId_versionId: { secretId: existing.id, versionId: token } } })
        : null;
      if (version && sameValue(open(ctx, version.valueEnc), value!)) return { ARN: existing.arn, Name: existing.name, VersionId: version.versionId };
      if (existing.deletedAt) throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
      throw new SmError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const secret = await t.secret.create({
      data: { id: randomUUID(), accountId, region: ctx.region, arn: secretArn(ctx.region, accountId, name), name, description, kmsKeyId, tags: tags as unknown as Prisma.InputJsonValue },
    }).catch((e) => {
      // Two creates of one name at once: the loser sees what a later create would.
      throw isUniqueViolation(e) ? new SmError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`) : e;
    });
    const version = value ? await addVersion(t, ctx, secret, value, token) : undefined;
    return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.versionId } : {}) };
  });
}

async function getSecretValue(ctx: RequestContext, input: Input) {
  const versionId = input.VersionId as string | undefined;
  const stage = (input.VersionStage as string | undefined) ?? (versionId ? undefined : CURRENT);
  return tx(ctx, async (t) => {
    const secret = usable(await findSecret(t, ctx, input.SecretId));
    const versions = await t.secretVersion.findMany({ where: { secretId: secret.id } });
    const version = versions.find((v) => (versionId === undefined || v.versionId === versionId) && (stage === undefined || v.stages.includes(stage)));
    if (!version) {
      const what = versionId !== undefined ? `VersionId: ${versionId}` : `staging label: ${stage}`;
      throw new SmError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`);
    }
    await t.secret.update({ where: { id: secret.id }, data: { lastAccessedAt: new Date(new Date().toISOString().slice(0, 10)) } });
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, ...open(ctx, version.valueEnc), VersionStages: version.stages, CreatedDate: epoch(version.createdAt) };
  });
}

async function putSecretValue(ctx: RequestContext, input: Input) {
  const token = checkToken(input.ClientRequestToken);
  const value = readValue(input);
  if (!value) throw invalidRequest(MSG.noValue);
  const stages = input.VersionStages === undefined ? [CURRENT] : input.VersionStages;
  if (!Array.isArray(stages) || stages.length === 0 || stages.length > 20 || stages.some((s) => typeof s !== 'string' || s.length === 0 || s.length > 256)) {
    throw invalidParameter('VersionStages must list 1 to 20 labels of 1 to 256 characters.');
  }
  return tx(ctx, async (t) => {
    const secret = usable(await findSecret(t, ctx, input.SecretId));
    const version = await addVersion(t, ctx, secret, value, token, [...new Set(stages as string[])]);
    return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: version.stages };
  });
}

async function describeSecret(ctx: RequestContext, input: Input) {
  return tx(ctx, async (t) => {
    const secret = await findSecret(t, ctx, input.SecretId);
    return describe(secret, await t.secretVersion.findMany({ where: { secretId: secret.id } }), 'VersionIdsToStages');
  });
}

async function updateSecret(ctx: RequestContext, input: Input) {
  const token = checkToken(input.ClientRequestToken);
  const description = checkDescription(input.Description);
  const value = readValue(input);
  const kmsKeyId = typeof input.KmsKeyId === 'string' ? input.KmsKeyId : undefined;
  return tx(ctx, async (t) => {
    const secret = usable(await findSecret(t, ctx, input.SecretId));
    if (description !== undefined || kmsKeyId !== undefined) {
      await t.secret.update({ where: { id: secret.id }, data: { description, kmsKeyId, lastChangedAt: new Date() } });
    }
    const version = value ? await addVersion(t, ctx, secret, value, token) : undefined;
    return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.versionId } : {}) };
  });
}

async function deleteSecret(ctx: RequestContext, input: Input) {
  const days = deletionWindow(input);
  return tx(ctx, async (t) => {
    const secret = await findSecret(t, ctx, input.SecretId);
    const now = new Date();
    if (days === 0) {
      await t.secret.delete({ where: { id: secret.id } });
      return { ARN: secret.arn, Name: secret.name, DeletionDate: epoch(now) };
    }
    usable(secret);
    const deletionDate = new Date(now.getTime() + days * 86_400_000);
    await t.secret.update({ where: { id: secret.id }, data: { deletedAt: now, deletionDate } });
    return { ARN: secret.arn, Name: secret.name, DeletionDate: epoch(deletionDate) };
  });
}

async function restoreSecret(ctx: RequestContext, input: Input) {
  return tx(ctx, async (t) => {
    const secret = await findSecret(t, ctx, input.SecretId);
    if (!secret.deletedAt) throw invalidRequest(MSG.notMarked);
    await t.secret.update({ where: { id: secret.id }, data: { deletedAt: null, deletionDate: null } });
    return { ARN: secret.arn, Name: secret.name };
  });
}

async function tagResource(ctx: RequestContext, input: Input) {
  const tags = checkTags(input.Tags);
  if (input.Tags === undefined || input.Tags === null) throw invalidParameter("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  return tx(ctx, async (t) => {
    const secret = await findSecret(t, ctx, input.SecretId);
    const merged = mergeTags(tagsOf(secret), tags);
    if (merged.length > 50) throw invalidRequest('You can attach at most 50 tags to a secret.');
    await t.secret.update({ where: { id: secret.id }, data: { tags: merged as unknown as Prisma.InputJsonValue } });
    return {};
  });
}

async function untagResource(ctx: RequestContext, input: Input) {
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw invalidParameter("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  return tx(ctx, async (t) => {
    const secret = await findSecret(t, ctx, input.SecretId);
    const tags = tagsOf(secret).filter((tag) => !keys.includes(tag.Key));
    await t.secret.update({ where: { id: secret.id }, data: { tags: tags as unknown as Prisma.InputJsonValue } });
    return {};
  });
}

const FILTER_KEYS = new Set(['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all']);

/** One filter: any of its values matches (prefix, case-insensitive); a value starting with `!` excludes instead. */
function filterMatches(secret: Secret, key: string, values: string[]): boolean {
  const tags = tagsOf(secret);
  const fields = (): string[] => {
    switch (key) {
      case 'name': return [secret.name];
      case 'description': return secret.description ? [secret.description] : [];
      case 'tag-key': return tags.map((t) => t.Key);
      case 'tag-value': return tags.map((t) => t.Value);
      case 'all': return [secret.name, secret.description ?? '', ...tags.flatMap((t) => [t.Key, t.Value])];
      default: return [];
    }
  };
  const hay = fields().map((f) => f.toLowerCase());
  const hit = (v: string) => hay.some((f) => f.startsWith(v.toLowerCase()));
  const positive = values.filter((v) => !v.startsWith('!'));
  const negative = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  if (negative.some(hit)) return false;
  return positive.length === 0 || positive.some(hit);
}

async function listSecrets(ctx: RequestContext, input: Input) {
  const max = input.MaxResults ?? 100;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) {
    throw invalidParameter("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100");
  }
  const filters = (input.Filters ?? []) as { Key?: string; Values?: string[] }[];
  if (!Array.isArray(filters) || filters.length > 10) throw invalidParameter('Filters must be a list of at most 10 filters.');
  for (const f of filters) {
    if (typeof f?.Key !== 'string' || !FILTER_KEYS.has(f.Key)) throw invalidParameter(`Invalid filter key: ${String(f?.Key)}. Valid keys: ${[...FILTER_KEYS].join(', ')}.`);
    if (!Array.isArray(f.Values) || f.Values.length === 0 || f.Values.some((v) => typeof v !== 'string' || v.length > 512)) {
      throw invalidParameter('Each filter needs 1 to 10 values of at most 512 characters.');
    }
  }
  // AWS-PARITY: NextToken is a position in the filtered list ordered by creation time, so a secret created or deleted
  // between pages can shift one page by one entry; AWS's tokens are opaque and its order is unspecified.
  let offset = 0;
  if (input.NextToken !== undefined) {
    offset = Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset <= 0) throw new SmError('InvalidNextTokenException', MSG.nextToken);
  }
  const desc = input.SortOrder === 'desc';
  const now = new Date();
  const secrets = (await ctx.deps.db.secret.findMany({
    where: {
      accountId: ctx.principal.accountId,
      region: ctx.region,
      OR: [{ deletionDate: null }, { deletionDate: { gt: now } }],
      ...(input.IncludePlannedDeletion === true ? {} : { deletedAt: null }),
    },
    include: { versions: true },
    orderBy: [{ createdAt: desc ? 'desc' : 'asc' }, { id: 'asc' }],
  })).filter((s) => filters.every((f) => filterMatches(s, f.Key!, f.Values!)));
  const page = secrets.slice(offset, offset + max);
  const next = offset + max < secrets.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return { SecretList: page.map((s) => describe(s, s.versions, 'SecretVersionsToStages')), ...(next ? { NextToken: next } : {}) };
}

/**
 * A change of a secret's current value or of whether it can be used reaches the brokers of every cluster the secret
 * is associated with for SASL/SCRAM (a new password, a user removed or restored), right after the commit.
 */
const reachingBrokers = (op: SmHandler): SmHandler => async (ctx, input) => {
  const out = await op(ctx, input);
  await secretChanged(ctx, (out as { ARN: string }).ARN);
  return out;
};

/** The implemented operations, by the SDK's operation names. */
export const SM_HANDLERS: Record<string, SmHandler> = {
  CreateSecret: createSecret,
  GetSecretValue: getSecretValue,
  PutSecretValue: reachingBrokers(putSecretValue),
  DescribeSecret: describeSecret,
  ListSecrets: listSecrets,
  UpdateSecret: reachingBrokers(updateSecret),
  DeleteSecret: reachingBrokers(deleteSecret),
  RestoreSecret: reachingBrokers(restoreSecret),
  TagResource: tagResource,
  UntagResource: untagResource,
};
