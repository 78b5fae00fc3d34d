/** The real AWS CLI v2 against the API (see aws-cli.ts for how it is run). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsCli, type AwsCli } from './aws-cli';
import { rowCounts } from './harness';

let cli: AwsCli;
let h: AwsCli['h'];
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  cli = await startAwsCli('openmsk-cli-');
  ({ h, dir, env } = cli);
}, 60_000);
afterAll(() => cli?.close());

const aws = (...args: string[]) => cli.aws(...args);
const ok = (...args: string[]) => cli.ok(...args);

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
