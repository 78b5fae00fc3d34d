import {
  CreateClusterCommand, CreateClusterV2Command, CreateConfigurationCommand, DeleteClusterCommand, DescribeClusterCommand,
  DescribeClusterV2Command, KafkaClient, ListClustersCommand, ListClustersV2Command, type CreateClusterRequest,
} from '@aws-sdk/client-kafka';
import { rowCounts, startApi, type Harness } from './harness';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const base = (name: string, over: Partial<CreateClusterRequest> = {}): CreateClusterRequest => ({
  ClusterName: name,
  KafkaVersion: '3.9.x',
  NumberOfBrokerNodes: 3,
  BrokerNodeGroupInfo: {
    InstanceType: 'kafka.m5.large',
    ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
    StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
  },
  ...over,
});

/** Sends a request that must fail; returns the SDK error and asserts nothing was written. */
async function refused(cmd: object) {
  const before = await rowCounts(h.db);
  const err = await kafka.send(cmd as never).then(() => undefined, (e) => e);
  expect(err).toBeDefined();
  expect(await rowCounts(h.db)).toEqual(before);
  return err as { name: string; message: string; InvalidParameter?: string; $metadata: { httpStatusCode?: number } };
}

describe('CreateCluster', () => {
  test('stores the desired state and answers CREATING; DescribeCluster shows MSK defaults', async () => {
    const out = await kafka.send(new CreateClusterCommand(base('orders', { Tags: { team: 'payments' } })));
    expect(out.State).toBe('CREATING');
    expect(out.ClusterName).toBe('orders');
    expect(out.ClusterArn).toMatch(new RegExp(`^arn:aws:kafka:us-east-1:${h.accountId}:cluster/orders/[0-9a-f-]{36}-\\d+$`));
    expect(out.$metadata.requestId).toMatch(/[0-9a-f-]{36}/);

    const { ClusterInfo: c } = await kafka.send(new DescribeClusterCommand({ ClusterArn: out.ClusterArn }));
    expect(c).toMatchObject({
      ClusterArn: out.ClusterArn,
      ClusterName: 'orders',
      State: 'CREATING',
      NumberOfBrokerNodes: 3,
      EnhancedMonitoring: 'DEFAULT',
      Tags: { team: 'payments' },
      CurrentBrokerSoftwareInfo: { KafkaVersion: '3.9.x' },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
      BrokerNodeGroupInfo: {
        InstanceType: 'kafka.m5.large',
        ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
        StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
      },
    });
    expect(c?.CurrentVersion).toMatch(/^K[A-Z0-9]{13}$/);
    expect(c?.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(c!.CreationTime!.getTime() - Date.now())).toBeLessThan(60_000);
    // Honest: no brokers yet, so no ZooKeeper connect string.
    expect(c?.ZookeeperConnectString).toBeUndefined();
  });

  test('CreateClusterV2 provisioned, DescribeClusterV2 and ListClustersV2 with type filter', async () => {
    const out = await kafka.send(new CreateClusterV2Command({
      ClusterName: 'v2-cluster',
      Provisioned: { KafkaVersion: '3.9.x.kraft', NumberOfBrokerNodes: 2, BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] } },
    }));
    expect(out).toMatchObject({ ClusterName: 'v2-cluster', State: 'CREATING', ClusterType: 'PROVISIONED' });
    const { ClusterInfo: c } = await kafka.send(new DescribeClusterV2Command({ ClusterArn: out.ClusterArn }));
    expect(c).toMatchObject({ ClusterType: 'PROVISIONED', ClusterName: 'v2-cluster', State: 'CREATING' });
    expect(c?.Provisioned).toMatchObject({ NumberOfBrokerNodes: 2, CurrentBrokerSoftwareInfo: { KafkaVersion: '3.9.x.kraft' } });
    const list = await kafka.send(new ListClustersV2Command({ ClusterTypeFilter: 'PROVISIONED', ClusterNameFilter: 'v2-' }));
    expect(list.ClusterInfoList?.map((x) => x.ClusterName)).toEqual(['v2-cluster']);
    const none = await kafka.send(new ListClustersV2Command({ ClusterTypeFilter: 'SERVERLESS' }));
    expect(none.ClusterInfoList).toEqual([]);
  });

  test('serverless is refused clearly', async () => {
    const e = await refused(new CreateClusterV2Command({ ClusterName: 'sls', Serverless: { VpcConfigs: [{ SubnetIds: ['a'] }] } }));
    expect(e.name).toBe('BadRequestException');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  test.each([
    ['name too long', base('x'.repeat(65)), 'clusterName'],
    ['name pattern', base('bad_name'), 'clusterName'],
    ['unknown version', base('v', { KafkaVersion: '2.1.0' }), 'kafkaVersion'],
    ['one subnet', base('s', { BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa'] } }), 'clientSubnets'],
    ['four subnets', base('s', { BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc', 'subnet-dddddddd'] } }), 'clientSubnets'],
    ['duplicate subnets', base('s', { BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-aaaaaaaa', 'subnet-bbbbbbbb'] } }), 'clientSubnets'],
    ['brokers not a multiple of zones', base('s', { NumberOfBrokerNodes: 4 }), 'numberOfBrokerNodes'],
    ['unknown instance type', base('s', { BrokerNodeGroupInfo: { InstanceType: 'kafka.z9.huge', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'] }, NumberOfBrokerNodes: 2 }), 'instanceType'],
    ['volume too big', base('s', { BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 16385 } } } }), 'volumeSize'],
    ['volume zero', base('s', { BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 0 } } } }), 'volumeSize'],
    ['unknown configuration', base('s', { ConfigurationInfo: { Arn: 'arn:aws:kafka:us-east-1:123456789012:configuration/x/00000000-0000-0000-0000-000000000000-1', Revision: 1 } }), 'configurationInfo'],
  ])('%s → BadRequestException, nothing written', async (_label, input, param) => {
    const e = await refused(new CreateClusterCommand(input as CreateClusterRequest));
    expect(e.name).toBe('BadRequestException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.InvalidParameter).toBe(param);
    expect(e.message.length).toBeGreaterThan(0);
  });

  test('unsupported version names the valid values', async () => {
    const e = await refused(new CreateClusterCommand(base('v', { KafkaVersion: '2.1.0' })));
    expect(e.message).toMatch(/^Unsupported KafkaVersion \[2\.1\.0\]\. Valid values: \[.*3\.9\.x.*\]$/);
  });

  test('configuration revision whose kafkaVersions exclude the cluster version is refused', async () => {
    const cfg = await kafka.send(new CreateConfigurationCommand({
      Name: 'only-38', KafkaVersions: ['3.8.x'], ServerProperties: Buffer.from('auto.create.topics.enable=true\n'),
    }));
    const e = await refused(new CreateClusterCommand(base('mismatch', { ConfigurationInfo: { Arn: cfg.Arn!, Revision: 1 } })));
    expect(e.name).toBe('BadRequestException');
    expect(e.InvalidParameter).toBe('configurationInfo');
    const missingRev = await refused(new CreateClusterCommand(base('mismatch', { KafkaVersion: '3.8.x', ConfigurationInfo: { Arn: cfg.Arn!, Revision: 9 } })));
    expect(missingRev.InvalidParameter).toBe('configurationInfo');
  });

  test('a configuration revision is recorded on the cluster', async () => {
    const cfg = await kafka.send(new CreateConfigurationCommand({ Name: 'for-39', KafkaVersions: ['3.9.x'], ServerProperties: Buffer.from('num.partitions=3\n') }));
    const out = await kafka.send(new CreateClusterCommand(base('with-config', { ConfigurationInfo: { Arn: cfg.Arn!, Revision: 1 } })));
    const { ClusterInfo: c } = await kafka.send(new DescribeClusterCommand({ ClusterArn: out.ClusterArn }));
    expect(c?.CurrentBrokerSoftwareInfo).toEqual({ KafkaVersion: '3.9.x', ConfigurationArn: cfg.Arn, ConfigurationRevision: 1 });
  });

  test('duplicate name → ConflictException, nothing written', async () => {
    await kafka.send(new CreateClusterCommand(base('dupe')));
    const e = await refused(new CreateClusterCommand(base('dupe')));
    expect(e.name).toBe('ConflictException');
    expect(e.$metadata.httpStatusCode).toBe(409);
    expect(e.InvalidParameter).toBe('clusterName');
  });

  test('missing required member → BadRequestException naming it', async () => {
    const { ClusterName: _omit, ...rest } = base('x');
    const e = await refused(new CreateClusterCommand(rest as CreateClusterRequest));
    expect(e.name).toBe('BadRequestException');
    expect(e.InvalidParameter).toBe('clusterName');
  });
});

describe('ListClusters', () => {
  test('prefix filter and pagination visit every cluster once', async () => {
    for (const n of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']) await kafka.send(new CreateClusterCommand(base(n)));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await kafka.send(new ListClustersCommand({ ClusterNameFilter: 'page-', MaxResults: 2, NextToken: token }));
      seen.push(...(out.ClusterInfoList ?? []).map((c) => c.ClusterName!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(seen).toEqual(['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
    expect(pages).toBe(3);
    const all = await kafka.send(new ListClustersCommand({ ClusterNameFilter: 'page-c' }));
    expect(all.ClusterInfoList?.map((c) => c.ClusterName)).toEqual(['page-c']);
    expect(all.NextToken).toBeUndefined();
  });

  test('maxResults out of range and a forged token are refused', async () => {
    expect((await refused(new ListClustersCommand({ MaxResults: 101 }))).InvalidParameter).toBe('maxResults');
    expect((await refused(new ListClustersCommand({ NextToken: 'garbage!' }))).InvalidParameter).toBe('nextToken');
  });

  test('empty list is present, not omitted', async () => {
    const out = await kafka.send(new ListClustersCommand({ ClusterNameFilter: 'nothing-like-this' }));
    expect(out.ClusterInfoList).toEqual([]);
  });
});

describe('DeleteCluster', () => {
  test('stale currentVersion is refused; the right one puts it in DELETING', async () => {
    const { ClusterArn } = await kafka.send(new CreateClusterCommand(base('doomed')));
    const e = await refused(new DeleteClusterCommand({ ClusterArn, CurrentVersion: 'KAAAAAAAAAAAAA' }));
    expect(e.name).toBe('BadRequestException');
    expect(e.InvalidParameter).toBe('currentVersion');
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn }));
    const out = await kafka.send(new DeleteClusterCommand({ ClusterArn, CurrentVersion: ClusterInfo!.CurrentVersion }));
    expect(out).toMatchObject({ ClusterArn, State: 'DELETING' });
    const after = await kafka.send(new DescribeClusterCommand({ ClusterArn }));
    expect(after.ClusterInfo?.State).toBe('DELETING');
  });

  test('unknown cluster → NotFoundException', async () => {
    const arn = `arn:aws:kafka:us-east-1:${h.accountId}:cluster/none/00000000-0000-0000-0000-000000000000-1`;
    const e = await refused(new DescribeClusterCommand({ ClusterArn: arn }));
    expect(e.name).toBe('NotFoundException');
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.InvalidParameter).toBe('clusterArn');
    expect((await refused(new DeleteClusterCommand({ ClusterArn: arn }))).name).toBe('NotFoundException');
  });
});
