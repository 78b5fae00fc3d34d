/** The Secrets Manager API (AWS JSON 1.1 on POST /) through @aws-sdk/client-secrets-manager, against real Postgres. */
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand,
  PutSecretValueCommand, RestoreSecretCommand, SecretsManagerClient, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { startApi, type Harness } from './harness';
import { signed } from './helpers';

let h: Harness;
const clients: SecretsManagerClient[] = [];
const sm = (creds = h.credentials, region = 'us-east-1') => {
  const c = new SecretsManagerClient({ endpoint: h.url, region, credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await h?.close();
});

/** Everything stored about secrets, to prove a refused request changed nothing. */
const snapshot = async () => ({
  secrets: await h.db.secret.findMany({ orderBy: { id: 'asc' } }),
  versions: await h.db.secretVersion.findMany({ orderBy: [{ secretId: 'asc' }, { versionId: 'asc' }] }),
});

/** Runs a request that must fail with `name` (and `message` when given), and checks that nothing was written. */
async function refused(p: () => Promise<unknown>, name: string, message?: string | RegExp) {
  const before = await snapshot();
  const err = await p().then(() => undefined, (e) => e as Error & { $metadata?: { httpStatusCode?: number } });
  expect(err).toBeDefined();
  expect(err!.name).toBe(name);
  expect(err!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === 'string') expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";
const VALUE = '{"username":"alice","password":"alice-secret"}';

describe('Secrets Manager API', () => {
  let arn: string;
  let v1: string;

  test('CreateSecret makes an ARN with a 6-character suffix and a first version', async () => {
    const out = await sm().send(new CreateSecretCommand({ Name: 'AmazonMSK_alice', SecretString: VALUE, Description: 'alice', Tags: [{ Key: 'team', Value: 'a' }] }));
    expect(out.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${h.accountId}:secret:AmazonMSK_alice-[A-Za-z0-9]{6}$`));
    expect(out.Name).toBe('AmazonMSK_alice');
    expect(out.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    arn = out.ARN!;
    v1 = out.VersionId!;
    // The value is sealed: the stored column does not contain it.
    const row = await h.db.secretVersion.findFirstOrThrow({ where: { versionId: v1 } });
    expect(row.valueEnc).not.toContain('alice-secret');
  });

  test('GetSecretValue by name and by ARN', async () => {
    for (const id of ['AmazonMSK_alice', arn]) {
      const out = await sm().send(new GetSecretValueCommand({ SecretId: id }));
      expect(out).toMatchObject({ ARN: arn, Name: 'AmazonMSK_alice', VersionId: v1, SecretString: VALUE, VersionStages: ['AWSCURRENT'] });
      expect(out.CreatedDate).toBeInstanceOf(Date);
    }
  });

  test('PutSecretValue moves AWSCURRENT; the old version becomes AWSPREVIOUS; VersionId and VersionStage select', async () => {
    const put = await sm().send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'two' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const v2 = put.VersionId!;
    expect((await sm().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('two');
    expect(await sm().send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }))).toMatchObject({ VersionId: v1, SecretString: VALUE });
    expect(await sm().send(new GetSecretValueCommand({ SecretId: arn, VersionId: v1 }))).toMatchObject({ SecretString: VALUE, VersionStages: ['AWSPREVIOUS'] });
    const d = await sm().send(new DescribeSecretCommand({ SecretId: arn }));
    expect(d.VersionIdsToStages).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
    await refused(() => sm().send(new GetSecretValueCommand({ SecretId: arn, VersionId: 'no-such-version' })), 'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for VersionId: no-such-version");
  });

  test('ClientRequestToken: the same token and value is the same version, another value is refused', async () => {
    const token = 'a'.repeat(8) + '-bbbb-cccc-dddd-' + 'e'.repeat(12);
    const first = await sm().send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'three', ClientRequestToken: token }));
    expect(first.VersionId).toBe(token);
    const again = await sm().send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'three', ClientRequestToken: token }));
    expect(again.VersionId).toBe(token);
    await refused(() => sm().send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'other', ClientRequestToken: token })), 'ResourceExistsException',
      "You can't modify an existing version, you can only create a new version.");
  });

  test('SecretBinary round-trips as bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const c = await sm().send(new CreateSecretCommand({ Name: 'bin/one', SecretBinary: bytes }));
    const out = await sm().send(new GetSecretValueCommand({ SecretId: c.ARN }));
    expect(Buffer.from(out.SecretBinary!)).toEqual(Buffer.from(bytes));
    expect(out.SecretString).toBeUndefined();
  });

  test('UpdateSecret changes the description, and the value when given', async () => {
    const noValue = await sm().send(new UpdateSecretCommand({ SecretId: arn, Description: 'changed' }));
    expect(noValue.VersionId).toBeUndefined();
    expect((await sm().send(new DescribeSecretCommand({ SecretId: arn }))).Description).toBe('changed');
    const withValue = await sm().send(new UpdateSecretCommand({ SecretId: arn, SecretString: 'four' }));
    expect(withValue.VersionId).toBeDefined();
    expect((await sm().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('four');
  });

  test('TagResource and UntagResource', async () => {
    await sm().send(new TagResourceCommand({ SecretId: arn, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'b' }] }));
    expect((await sm().send(new DescribeSecretCommand({ SecretId: arn }))).Tags).toEqual([{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'test' }]);
    await sm().send(new UntagResourceCommand({ SecretId: arn, TagKeys: ['team'] }));
    expect((await sm().send(new DescribeSecretCommand({ SecretId: arn }))).Tags).toEqual([{ Key: 'env', Value: 'test' }]);
  });

  test('ListSecrets pages with MaxResults/NextToken and filters on name; never returns a value', async () => {
    for (const n of ['list/a', 'list/b', 'list/c']) await sm().send(new CreateSecretCommand({ Name: n, SecretString: 'x' }));
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await sm().send(new ListSecretsCommand({ MaxResults: 2, NextToken, Filters: [{ Key: 'name', Values: ['list/'] }] }));
      expect(page.SecretList!.length).toBeLessThanOrEqual(2);
      seen.push(...page.SecretList!.map((s) => s.Name!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen).toEqual(['list/a', 'list/b', 'list/c']);
    const all = await sm().send(new ListSecretsCommand({}));
    expect(all.SecretList!.map((s) => s.Name)).toEqual(expect.arrayContaining(['AmazonMSK_alice', 'bin/one', 'list/a']));
    expect(JSON.stringify(all)).not.toContain('alice-secret');
    const negated = await sm().send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['!list/'] }] }));
    expect(negated.SecretList!.map((s) => s.Name)).not.toContain('list/a');
    await refused(() => sm().send(new ListSecretsCommand({ NextToken: 'bogus' })), 'InvalidNextTokenException', 'The nextToken is not valid.');
  });

  test('bad input gets AWS errors and changes nothing', async () => {
    await refused(() => sm().send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'x' })), 'InvalidParameterException',
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    await refused(() => sm().send(new CreateSecretCommand({ Name: 'n'.repeat(513), SecretString: 'x' })), 'InvalidParameterException', /length less than or equal to 512/);
    await refused(() => sm().send(new CreateSecretCommand({ Name: 'AmazonMSK_alice', SecretString: 'x' })), 'ResourceExistsException',
      'The operation failed because the secret AmazonMSK_alice already exists.');
    await refused(() => sm().send(new CreateSecretCommand({ Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) })), 'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.");
    await refused(() => sm().send(new PutSecretValueCommand({ SecretId: arn })), 'InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
    await refused(() => sm().send(new GetSecretValueCommand({ SecretId: 'missing' })), 'ResourceNotFoundException', NOT_FOUND);
    await refused(() => sm().send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 })), 'InvalidParameterException',
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    await refused(() => sm().send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 6 })), 'InvalidParameterException',
      'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    await refused(() => sm().send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 31 })), 'InvalidParameterException',
      'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    await refused(() => sm().send(new RestoreSecretCommand({ SecretId: arn })), 'InvalidRequestException', "You can't restore the secret because it isn't marked for deletion.");
  });

  test('another account and another region see nothing', async () => {
    const other = await h.newAccount('other');
    const them = sm({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
    for (const id of [arn, 'AmazonMSK_alice']) {
      await refused(() => them.send(new GetSecretValueCommand({ SecretId: id })), 'ResourceNotFoundException', NOT_FOUND);
      await refused(() => them.send(new PutSecretValueCommand({ SecretId: id, SecretString: 'stolen' })), 'ResourceNotFoundException', NOT_FOUND);
      await refused(() => them.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true })), 'ResourceNotFoundException', NOT_FOUND);
      await refused(() => them.send(new TagResourceCommand({ SecretId: id, Tags: [{ Key: 'k', Value: 'v' }] })), 'ResourceNotFoundException', NOT_FOUND);
    }
    expect((await them.send(new ListSecretsCommand({}))).SecretList).toEqual([]);
    // Their own secret of the same name is theirs alone.
    const theirs = await them.send(new CreateSecretCommand({ Name: 'AmazonMSK_alice', SecretString: 'theirs' }));
    expect(theirs.ARN).toContain(`:${other.accountId}:secret:AmazonMSK_alice-`);
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'AmazonMSK_alice' }))).SecretString).toBe('four');
    await refused(() => sm(h.credentials, 'eu-west-1').send(new GetSecretValueCommand({ SecretId: arn })), 'ResourceNotFoundException', NOT_FOUND);
  });

  test('SigV4 is scoped to secretsmanager; a wrong secret key is refused', async () => {
    const bad = sm({ accessKeyId: h.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) });
    const err = await bad.send(new ListSecretsCommand({})).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.name).toBe('InvalidSignatureException');
    // A signature scoped to kafka does not open the Secrets Manager API.
    const kafkaScoped = await signed(h, 'POST', '/', {}, {}, { mutate: (req) => { req.headers['x-amz-target'] = 'secretsmanager.ListSecrets'; } });
    expect(kafkaScoped.status).toBe(403);
    expect(kafkaScoped.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(kafkaScoped.json.message).toBe("Credential should be scoped to correct service: 'secretsmanager'.");
  });

  test('DeleteSecret with a recovery window; a marked secret refuses use; RestoreSecret; force delete', async () => {
    const del = await sm().send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
    expect(del.ARN).toBe(arn);
    expect(del.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    await refused(() => sm().send(new GetSecretValueCommand({ SecretId: arn })), 'InvalidRequestException', MARKED);
    await refused(() => sm().send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'five' })), 'InvalidRequestException', MARKED);
    await refused(() => sm().send(new UpdateSecretCommand({ SecretId: arn, Description: 'no' })), 'InvalidRequestException', MARKED);
    expect((await sm().send(new DescribeSecretCommand({ SecretId: arn }))).DeletedDate).toBeInstanceOf(Date);
    expect((await sm().send(new ListSecretsCommand({}))).SecretList!.map((s) => s.Name)).not.toContain('AmazonMSK_alice');
    expect((await sm().send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList!.map((s) => s.Name)).toContain('AmazonMSK_alice');

    await sm().send(new RestoreSecretCommand({ SecretId: arn }));
    expect((await sm().send(new GetSecretValueCommand({ SecretId: arn }))).SecretString).toBe('four');

    const def = await sm().send(new DeleteSecretCommand({ SecretId: 'list/a' }));
    expect(Math.round((def.DeletionDate!.getTime() - Date.now()) / 86_400_000)).toBe(30);

    await sm().send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true }));
    await refused(() => sm().send(new DescribeSecretCommand({ SecretId: arn })), 'ResourceNotFoundException', NOT_FOUND);
    expect(await h.db.secretVersion.count({ where: { secret: { arn } } })).toBe(0);
  });

  test('POST / without a secretsmanager target is not dispatched; GET / stays the landing page', async () => {
    const post = await fetch(`${h.url}/`, { method: 'POST', headers: { 'x-amz-target': 'kafka.ListClusters' }, body: '{}' });
    expect(post.status).toBe(404);
    const get = await fetch(`${h.url}/`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toContain('text/html');
  });
});
