/** The real AWS CLI v2 against the Secrets Manager API (see aws-cli.ts for how it is run). */
import { join } from 'node:path';
import { startAwsCli, type AwsCli } from './aws-cli';

let cli: AwsCli;
let h: AwsCli['h'];
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  cli = await startAwsCli('openmsk-sm-cli-');
  ({ h, dir, env } = cli);
}, 60_000);
afterAll(() => cli?.close());

const aws = (...args: string[]) => cli.aws(...args);
const ok = (...args: string[]) => cli.ok(...args);

const VALUE = '{"username":"alice","password":"alice-secret"}';

test('create-secret, get-secret-value, list-secrets, delete-secret --force-delete-without-recovery', async () => {
  const created = await ok('secretsmanager', 'create-secret', '--name', 'AmazonMSK_alice', '--secret-string', VALUE);
  expect(created.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${h.accountId}:secret:AmazonMSK_alice-[A-Za-z0-9]{6}$`));
  expect(created.Name).toBe('AmazonMSK_alice');
  expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);

  const got = await ok('secretsmanager', 'get-secret-value', '--secret-id', 'AmazonMSK_alice');
  expect(got).toMatchObject({ ARN: created.ARN, Name: 'AmazonMSK_alice', VersionId: created.VersionId, SecretString: VALUE, VersionStages: ['AWSCURRENT'] });
  expect(JSON.parse(got.SecretString)).toEqual({ username: 'alice', password: 'alice-secret' });

  const listed = await ok('secretsmanager', 'list-secrets');
  expect(listed.SecretList.map((s: { Name: string }) => s.Name)).toEqual(['AmazonMSK_alice']);
  expect(listed.SecretList[0].SecretVersionsToStages).toEqual({ [created.VersionId]: ['AWSCURRENT'] });
  expect(JSON.stringify(listed)).not.toContain('alice-secret');

  const dupe = await aws('secretsmanager', 'create-secret', '--name', 'AmazonMSK_alice', '--secret-string', 'x');
  expect(dupe.code).not.toBe(0);
  expect(dupe.stderr).toContain('An error occurred (ResourceExistsException) when calling the CreateSecret operation: The operation failed because the secret AmazonMSK_alice already exists.');

  const both = await aws('secretsmanager', 'delete-secret', '--secret-id', created.ARN, '--force-delete-without-recovery', '--recovery-window-in-days', '7');
  expect(both.stderr).toContain("An error occurred (InvalidParameterException) when calling the DeleteSecret operation: You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");

  const deleted = await ok('secretsmanager', 'delete-secret', '--secret-id', created.ARN, '--force-delete-without-recovery');
  expect(deleted).toMatchObject({ ARN: created.ARN, Name: 'AmazonMSK_alice' });
  expect(typeof deleted.DeletionDate).toBe('string');

  const gone = await aws('secretsmanager', 'get-secret-value', '--secret-id', 'AmazonMSK_alice');
  expect(gone.stderr).toContain("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.");
  expect((await ok('secretsmanager', 'list-secrets')).SecretList).toEqual([]);
  expect(await h.db.secret.count()).toBe(0);
});
