/**
 * The real AWS CLI v2 against the API. `/usr/bin/aws` is Debian's awscli (v2); the `aws` first on PATH may be a
 * pyenv shim of CLI v1, so the binary is called by its full path. CI installs it; a missing CLI fails, not skips.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowCounts, startApi, type Harness } from './harness';

const AWS = '/usr/bin/aws';

let h: Harness;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} (AWS CLI v2, Debian package awscli) is required by this test; install it (apt-get install awscli).`);
  h = await startApi();
  dir = mkdtempSync(join(tmpdir(), 'openmsk-cli-'));
  writeFileSync(join(dir, 'credentials'), `[openmsk]\naws_access_key_id = ${h.credentials.accessKeyId}\naws_secret_access_key = ${h.credentials.secretAccessKey}\n`);
  writeFileSync(join(dir, 'config'), '[profile openmsk]\nregion = us-east-1\noutput = json\n');
  // A clean environment: no proxies, no inherited AWS settings, no pager.
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
    execFile(AWS, [...args, '--endpoint-url', h.url, '--output', 'json', '--no-cli-pager'], { env, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(new Error(`${AWS} ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed and returns its parsed JSON output ({} for commands without output). */
async function ok(...args: string[]) {
  const r = await aws(...args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout.trim() === '' ? {} : JSON.parse(r.stdout);
}

const SERVER_PROPERTIES = '# from the CLI\nauto.create.topics.enable = true\nnum.partitions=3\r\nlog.retention.hours=72\n';

describe('AWS CLI v2', () => {
  let configArn: string;
  let clusterArn: string;

  test('the CLI is v2', async () => {
    const r = await aws('--version');
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/^aws-cli\/2\./);
  });

  test('create-configuration with fileb:// sends the bytes; describe-configuration-revision returns them', async () => {
    writeFileSync(join(dir, 'sp.properties'), SERVER_PROPERTIES);
    const out = await ok('kafka', 'create-configuration', '--name', 'c1', '--server-properties', `fileb://${join(dir, 'sp.properties')}`, '--kafka-versions', '3.9.x', '--description', 'from the cli');
    expect(out.Arn).toMatch(new RegExp(`^arn:aws:kafka:us-east-1:${h.accountId}:configuration/c1/[0-9a-f-]{36}-\\d+$`));
    expect(out).toMatchObject({ Name: 'c1', State: 'ACTIVE', LatestRevision: { Revision: 1, Description: 'from the cli' } });
    expect(out.CreationTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    configArn = out.Arn;

    const rev = await ok('kafka', 'describe-configuration-revision', '--arn', configArn, '--revision', '1');
    expect(rev).toMatchObject({ Arn: configArn, Revision: 1, Description: 'from the cli' });
    expect(Buffer.from(rev.ServerProperties, 'base64').toString('utf8')).toBe(SERVER_PROPERTIES);

    const d = await ok('kafka', 'describe-configuration', '--arn', configArn);
    expect(d).toMatchObject({ Arn: configArn, Name: 'c1', KafkaVersions: ['3.9.x'], State: 'ACTIVE' });
    const list = await ok('kafka', 'list-configurations');
    expect(list.Configurations.map((c: { Arn: string }) => c.Arn)).toEqual([configArn]);
  });

  test('create-cluster with file:// broker info and shorthand configuration info; list-clusters and describe-cluster', async () => {
    writeFileSync(join(dir, 'brokers.json'), JSON.stringify({
      InstanceType: 'kafka.m5.large',
      ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
      StorageInfo: { EbsStorageInfo: { VolumeSize: 250 } },
    }));
    const out = await ok('kafka', 'create-cluster', '--cluster-name', 'demo', '--kafka-version', '3.9.x', '--number-of-broker-nodes', '3',
      '--broker-node-group-info', `file://${join(dir, 'brokers.json')}`, '--configuration-info', `Arn=${configArn},Revision=1`, '--tags', 'team=data');
    expect(out).toMatchObject({ ClusterName: 'demo', State: 'CREATING' });
    expect(out.ClusterArn).toMatch(new RegExp(`^arn:aws:kafka:us-east-1:${h.accountId}:cluster/demo/[0-9a-f-]{36}-\\d+$`));
    clusterArn = out.ClusterArn;

    const list = await ok('kafka', 'list-clusters');
    expect(list.ClusterInfoList.map((c: { ClusterName: string }) => c.ClusterName)).toContain('demo');
    const filtered = await ok('kafka', 'list-clusters', '--cluster-name-filter', 'de');
    expect(filtered.ClusterInfoList.map((c: { ClusterArn: string }) => c.ClusterArn)).toEqual([clusterArn]);

    const { ClusterInfo: c } = await ok('kafka', 'describe-cluster', '--cluster-arn', clusterArn);
    expect(c).toMatchObject({
      ClusterArn: clusterArn,
      ClusterName: 'demo',
      State: 'CREATING',
      NumberOfBrokerNodes: 3,
      Tags: { team: 'data' },
      CurrentBrokerSoftwareInfo: { KafkaVersion: '3.9.x', ConfigurationArn: configArn, ConfigurationRevision: 1 },
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'] },
    });
    expect(c.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.VolumeSize).toBe(250);
    expect(c.CurrentVersion).toMatch(/^K[A-Z0-9]+$/);
  });

  test('list-kafka-versions (auto-paginated) and list-cluster-operations', async () => {
    const v = await ok('kafka', 'list-kafka-versions');
    expect(v.KafkaVersions).toEqual([
      { Version: '3.8.x', Status: 'ACTIVE' },
      { Version: '3.9.x', Status: 'ACTIVE' },
      { Version: '3.9.x.kraft', Status: 'ACTIVE' },
      { Version: '4.1.x.kraft', Status: 'ACTIVE' },
    ]);
    // --page-size makes the CLI follow nextToken itself.
    const paged = await ok('kafka', 'list-kafka-versions', '--page-size', '1');
    expect(paged.KafkaVersions.map((x: { Version: string }) => x.Version)).toEqual(['3.8.x', '3.9.x', '3.9.x.kraft', '4.1.x.kraft']);
    const ops = await ok('kafka', 'list-cluster-operations', '--cluster-arn', clusterArn);
    expect(ops.ClusterOperationInfoList).toHaveLength(1);
    expect(ops.ClusterOperationInfoList[0]).toMatchObject({ ClusterArn: clusterArn, OperationType: 'CREATE', OperationState: 'PENDING' });
  });

  test('tag-resource, untag-resource --tag-keys a b, list-tags-for-resource', async () => {
    const tagged = await aws('kafka', 'tag-resource', '--resource-arn', clusterArn, '--tags', 'a=1,b=2,c=3');
    expect([tagged.code, tagged.stdout.trim()]).toEqual([0, '']);
    expect((await ok('kafka', 'list-tags-for-resource', '--resource-arn', clusterArn)).Tags).toEqual({ team: 'data', a: '1', b: '2', c: '3' });
    const untagged = await aws('kafka', 'untag-resource', '--resource-arn', clusterArn, '--tag-keys', 'a', 'b');
    expect([untagged.code, untagged.stdout.trim()]).toEqual([0, '']);
    expect((await ok('kafka', 'list-tags-for-resource', '--resource-arn', clusterArn)).Tags).toEqual({ team: 'data', c: '3' });
    // Configurations take tags too.
    await ok('kafka', 'tag-resource', '--resource-arn', configArn, '--tags', 'x=y');
    expect((await ok('kafka', 'list-tags-for-resource', '--resource-arn', configArn)).Tags).toEqual({ x: 'y' });
  });

  test('4 brokers on 3 subnets: exits non-zero with BadRequestException, nothing written', async () => {
    const before = await rowCounts(h.db);
    const r = await aws('kafka', 'create-cluster', '--cluster-name', 'uneven', '--kafka-version', '3.9.x', '--number-of-broker-nodes', '4',
      '--broker-node-group-info', `file://${join(dir, 'brokers.json')}`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('An error occurred (BadRequestException) when calling the CreateCluster operation');
    expect(r.stdout).toBe('');
    expect(await rowCounts(h.db)).toEqual(before);
  });

  test('other refusals are printed with their MSK error code', async () => {
    const missing = await aws('kafka', 'describe-cluster', '--cluster-arn', `arn:aws:kafka:us-east-1:${h.accountId}:cluster/none/00000000-0000-0000-0000-000000000000-1`);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('An error occurred (NotFoundException) when calling the DescribeCluster operation');
    const dupe = await aws('kafka', 'create-configuration', '--name', 'c1', '--server-properties', `fileb://${join(dir, 'sp.properties')}`);
    expect(dupe.stderr).toContain('An error occurred (ConflictException) when calling the CreateConfiguration operation');
    writeFileSync(join(dir, 'bad.properties'), 'auto.leader.rebalance.enable=false\n');
    const bad = await aws('kafka', 'create-configuration', '--name', 'c2', '--server-properties', `fileb://${join(dir, 'bad.properties')}`, '--kafka-versions', '3.9.x');
    expect(bad.stderr).toContain('An error occurred (BadRequestException) when calling the CreateConfiguration operation: [{"name":"auto.leader.rebalance.enable"');
  });

  test('a wrong secret is refused by signature check', async () => {
    writeFileSync(join(dir, 'credentials-bad'), `[openmsk]\naws_access_key_id = ${h.credentials.accessKeyId}\naws_secret_access_key = wrong${h.credentials.secretAccessKey}\n`);
    const saved = env.AWS_SHARED_CREDENTIALS_FILE;
    env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials-bad');
    try {
      const r = await aws('kafka', 'list-clusters');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('(InvalidSignatureException)');
    } finally {
      env.AWS_SHARED_CREDENTIALS_FILE = saved;
    }
  });
});
