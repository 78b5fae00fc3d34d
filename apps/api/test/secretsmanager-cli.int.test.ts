/** The real AWS CLI v2 against the Secrets Manager API (see cli.int.test.ts for why /usr/bin/aws is called by path). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi, type Harness } from './harness';

const AWS = '/usr/bin/aws';

let h: Harness;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} (AWS CLI v2, Debian package awscli) is required by this test; install it (apt-get install awscli).`);
  h = await startApi();
  dir = mkdtempSync(join(tmpdir(), 'openmsk-sm-cli-'));
  writeFileSync(join(dir, 'credentials'), `[openmsk]\naws_access_key_id = ${h.credentials.accessKeyId}\naws_secret_access_key = ${h.credentials.secretAccessKey}\n`);
  writeFileSync(join(dir, 'config'), '[profile openmsk]\nregion = us-east-1\noutput = json\n');
  env = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_PROFILE: 'openmsk',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}, 60_000);
afterAll(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run { code: number; stdout: string; stderr: string }

function aws(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(AWS, [...args, '--endpoint-url', h.url, '--output', 'json', '--no-cli-pager'], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`${AWS} ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

async function ok(...args: string[]) {
  const r = await aws(...args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
}

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
