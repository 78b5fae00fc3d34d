import {
  CreateClusterCommand, CreateConfigurationCommand, DeleteClusterCommand, DescribeClusterCommand,
  DescribeClusterOperationCommand, DescribeClusterOperationV2Command, GetCompatibleKafkaVersionsCommand, KafkaClient,
  ListClusterOperationsCommand, ListClusterOperationsV2Command, ListKafkaVersionsCommand, ListTagsForResourceCommand,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-kafka';
import { startApi, type Harness } from './harness';
import { expectError, refused } from './helpers';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

async function cluster(name: string, kafkaVersion = '3.9.x', tags?: Record<string, string>) {
  const out = await kafka.send(new CreateClusterCommand({
    ClusterName: name,
    KafkaVersion: kafkaVersion,
    NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
    Tags: tags,
  }));
  return out.ClusterArn!;
}

async function configuration(name: string) {
  const out = await kafka.send(new CreateConfigurationCommand({
    Name: name, KafkaVersions: ['3.9.x'], ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')),
  }));
  return out.Arn!;
}

const tagsOf = async (arn: string) => (await kafka.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

describe('TagResource / UntagResource / ListTagsForResource', () => {
  test.each(['cluster', 'configuration'] as const)('on a %s ARN: 204, merge, overwrite, untag several keys', async (kind) => {
    const arn = kind === 'cluster' ? await cluster('tagged-cluster', '3.9.x', { team: 'payments' }) : await configuration('tagged-config');
    const initial = kind === 'cluster' ? { team: 'payments' } : {};
    expect(await tagsOf(arn)).toEqual(initial);

    const tagged = await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1', b: '2', c: '3', 'env:stage': 'dev / blue' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf(arn)).toEqual({ ...initial, a: '1', b: '2', c: '3', 'env:stage': 'dev / blue' });

    await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: 'one' } }));
    expect((await tagsOf(arn))?.a).toBe('one');

    const untagged = await kafka.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a', 'env:stage', 'not-there'] }));
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf(arn)).toEqual({ ...initial, b: '2', c: '3' });

    if (kind === 'cluster') {
      const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }));
      expect(ClusterInfo?.Tags).toEqual({ team: 'payments', b: '2', c: '3' });
    }
  });

  test('bad tags are refused and the resource keeps its tags', async () => {
    const arn = await cluster('tag-rules', '3.9.x', { keep: 'me' });
    const cases: [Record<string, string>, string][] = [
      [{ 'aws:owner': 'x' }, 'aws: prefix'],
      [{ 'AWS:owner': 'x' }, 'aws: prefix, upper case'],
      [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), '51 tags'],
      [{ ['k'.repeat(129)]: 'v' }, 'key of 129 characters'],
      [{ ok: 'v'.repeat(257) }, 'value of 257 characters'],
      [{ 'bad#key': 'v' }, 'character outside the tag set'],
    ];
    for (const [tags, why] of cases) {
      const e = await refused(h, kafka, new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
      expect([why, e.name, e.$metadata.httpStatusCode, e.InvalidParameter]).toEqual([why, 'BadRequestException', 400, 'tags']);
    }
    // 49 more fit (50 in all); one more does not, counting the tags already there.
    await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`n${i}`, 'v'])) }));
    expectError(await refused(h, kafka, new TagResourceCommand({ ResourceArn: arn, Tags: { overflow: 'v' } })), 'BadRequestException', 400, 'tags');
    const now = await tagsOf(arn);
    expect(Object.keys(now!)).toHaveLength(50);
    expect(now?.keep).toBe('me');
    // 128-character keys and 256-character values are fine.
    await kafka.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['n0'] }));
    await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { ['k'.repeat(128)]: 'v'.repeat(256) } }));
    expect((await tagsOf(arn))?.['k'.repeat(128)]).toBe('v'.repeat(256));
  });

  test('UntagResource with a reserved or over-long key is refused', async () => {
    const arn = await cluster('untag-rules', '3.9.x', { keep: 'me' });
    expectError(await refused(h, kafka, new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['aws:x'] })), 'BadRequestException', 400, 'tagKeys');
    expectError(await refused(h, kafka, new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['k'.repeat(129)] })), 'BadRequestException', 400, 'tagKeys');
    expect(await tagsOf(arn)).toEqual({ keep: 'me' });
  });

  test('concurrent TagResource and UntagResource calls lose no update', async () => {
    for (const kind of ['cluster', 'configuration'] as const) {
      const arn = kind === 'cluster' ? await cluster('tag-race') : await configuration('tag-race');
      await Promise.all(Array.from({ length: 12 }, (_, i) => kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { [`k${i}`]: String(i) } }))));
      expect(Object.keys((await tagsOf(arn))!).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `k${i}`).sort());
      await Promise.all(Array.from({ length: 6 }, (_, i) => kafka.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: [`k${i}`] }))));
      expect(Object.keys((await tagsOf(arn))!).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `k${i + 6}`).sort());
    }
  });

  test('unknown ARN → NotFoundException naming resourceArn', async () => {
    for (const arn of [
      `arn:aws:kafka:us-east-1:${h.accountId}:cluster/none/00000000-0000-0000-0000-000000000000-1`,
      `arn:aws:kafka:us-east-1:${h.accountId}:configuration/none/00000000-0000-0000-0000-000000000000-1`,
    ]) {
      expectError(await refused(h, kafka, new TagResourceCommand({ ResourceArn: arn, Tags: { a: '1' } })), 'NotFoundException', 404, 'resourceArn');
      expectError(await refused(h, kafka, new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] })), 'NotFoundException', 404, 'resourceArn');
      expectError(await refused(h, kafka, new ListTagsForResourceCommand({ ResourceArn: arn })), 'NotFoundException', 404, 'resourceArn');
    }
  });
});

describe('ListKafkaVersions / GetCompatibleKafkaVersions', () => {
  test('lists the catalog labels, all ACTIVE', async () => {
    const out = await kafka.send(new ListKafkaVersionsCommand({}));
    expect(out.KafkaVersions).toEqual([
      { Version: '3.8.x', Status: 'ACTIVE' },
      { Version: '3.9.x', Status: 'ACTIVE' },
      { Version: '3.9.x.kraft', Status: 'ACTIVE' },
      { Version: '4.1.x.kraft', Status: 'ACTIVE' },
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  test('MaxResults 1 pages through every version once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const p = await kafka.send(new ListKafkaVersionsCommand({ MaxResults: 1, NextToken: token }));
      expect(p.KafkaVersions).toHaveLength(1);
      seen.push(p.KafkaVersions![0].Version!);
      token = p.NextToken;
    } while (token);
    expect(seen).toEqual(['3.8.x', '3.9.x', '3.9.x.kraft', '4.1.x.kraft']);
    const two = await kafka.send(new ListKafkaVersionsCommand({ MaxResults: 3 }));
    expect(two.KafkaVersions).toHaveLength(3);
    const rest = await kafka.send(new ListKafkaVersionsCommand({ MaxResults: 3, NextToken: two.NextToken }));
    expect(rest.KafkaVersions?.map((v) => v.Version)).toEqual(['4.1.x.kraft']);
    expect(rest.NextToken).toBeUndefined();
  });

  test('each API instance reads its own images: one without any offers no version, the other still all', async () => {
    await kafka.send(new ListKafkaVersionsCommand({})); // this instance has read (and keeps) its images
    const bare = await startApi({}, { images: false });
    try {
      expect((await bare.client().send(new ListKafkaVersionsCommand({}))).KafkaVersions).toEqual([]);
      expect((await kafka.send(new ListKafkaVersionsCommand({}))).KafkaVersions).toHaveLength(4);
    } finally {
      await bare.close();
    }
  });

  test('bad maxResults / nextToken → BadRequestException', async () => {
    expectError(await refused(h, kafka, new ListKafkaVersionsCommand({ MaxResults: 0 })), 'BadRequestException', 400, 'maxResults');
    expectError(await refused(h, kafka, new ListKafkaVersionsCommand({ NextToken: 'Zm9yZ2Vk' })), 'BadRequestException', 400, 'nextToken');
  });

  test.each([
    ['3.8.x', ['3.9.x']],
    ['3.9.x', []],
    ['3.9.x.kraft', ['4.1.x.kraft']],
  ])('with a %s cluster ARN: one entry for its version', async (version, targets) => {
    const arn = await cluster(`compat-${version.replace(/\./g, '-')}`, version);
    const out = await kafka.send(new GetCompatibleKafkaVersionsCommand({ ClusterArn: arn }));
    expect(out.CompatibleKafkaVersions).toEqual([{ SourceVersion: version, TargetVersions: targets }]);
  });

  test('without an ARN: the whole matrix, upgrades only, never across ZooKeeper and KRaft', async () => {
    const out = await kafka.send(new GetCompatibleKafkaVersionsCommand({}));
    expect(out.CompatibleKafkaVersions).toEqual([
      { SourceVersion: '3.8.x', TargetVersions: ['3.9.x'] },
      { SourceVersion: '3.9.x', TargetVersions: [] },
      { SourceVersion: '3.9.x.kraft', TargetVersions: ['4.1.x.kraft'] },
      { SourceVersion: '4.1.x.kraft', TargetVersions: [] },
    ]);
    for (const entry of out.CompatibleKafkaVersions!) {
      for (const t of entry.TargetVersions!) expect(t.endsWith('.kraft')).toBe(entry.SourceVersion!.endsWith('.kraft'));
    }
  });

  test('unknown cluster ARN → NotFoundException', async () => {
    const arn = `arn:aws:kafka:us-east-1:${h.accountId}:cluster/none/00000000-0000-0000-0000-000000000000-1`;
    expectError(await refused(h, kafka, new GetCompatibleKafkaVersionsCommand({ ClusterArn: arn })), 'NotFoundException', 404, 'clusterArn');
  });
});

describe('Cluster operations', () => {
  test('a new cluster has one CREATE operation, PENDING, visible through v1 and v2', async () => {
    const clusterArn = await cluster('ops-demo');
    const clusterId = clusterArn.split('/').pop()!;
    const opArnPattern = new RegExp(`^arn:aws:kafka:us-east-1:${h.accountId}:cluster-operation/ops-demo/${clusterId}/${UUID}$`);

    const v1 = await kafka.send(new ListClusterOperationsCommand({ ClusterArn: clusterArn }));
    expect(v1.ClusterOperationInfoList).toHaveLength(1);
    expect(v1.NextToken).toBeUndefined();
    const op = v1.ClusterOperationInfoList![0];
    expect(op).toMatchObject({ ClusterArn: clusterArn, OperationType: 'CREATE', OperationState: 'PENDING' });
    expect(op.OperationArn).toMatch(opArnPattern);
    expect(op.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(op.CreationTime!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(op.EndTime).toBeUndefined();
    expect(op.ErrorInfo).toBeUndefined();

    const v2 = await kafka.send(new ListClusterOperationsV2Command({ ClusterArn: clusterArn }));
    expect(v2.ClusterOperationInfoList).toEqual([{
      ClusterArn: clusterArn,
      ClusterType: 'PROVISIONED',
      OperationArn: op.OperationArn,
      OperationState: 'PENDING',
      OperationType: 'CREATE',
      StartTime: op.CreationTime,
    }]);

    const d1 = await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn: op.OperationArn }));
    expect(d1.ClusterOperationInfo).toMatchObject({
      ClusterArn: clusterArn, OperationArn: op.OperationArn, OperationType: 'CREATE', OperationState: 'PENDING', CreationTime: op.CreationTime,
    });
    const d2 = await kafka.send(new DescribeClusterOperationV2Command({ ClusterOperationArn: op.OperationArn }));
    expect(d2.ClusterOperationInfo).toMatchObject({
      ClusterArn: clusterArn, ClusterType: 'PROVISIONED', OperationArn: op.OperationArn, OperationType: 'CREATE',
      OperationState: 'PENDING', StartTime: op.CreationTime,
    });
  });

  test('DeleteCluster adds a second operation; MaxResults 1 pages through both', async () => {
    const clusterArn = await cluster('ops-paged');
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: clusterArn }));
    await kafka.send(new DeleteClusterCommand({ ClusterArn: clusterArn, CurrentVersion: ClusterInfo!.CurrentVersion }));
    const types: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = await kafka.send(new ListClusterOperationsCommand({ ClusterArn: clusterArn, MaxResults: 1, NextToken: token }));
      expect(p.ClusterOperationInfoList).toHaveLength(1);
      types.push(p.ClusterOperationInfoList![0].OperationType!);
      token = p.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(types).toEqual(['CREATE', 'DELETE']);
    const v2 = await kafka.send(new ListClusterOperationsV2Command({ ClusterArn: clusterArn, MaxResults: 1 }));
    expect(v2.ClusterOperationInfoList).toHaveLength(1);
    expect(v2.NextToken).toBeDefined();
  });

  test('unknown operation or cluster ARN → NotFoundException', async () => {
    const clusterArn = await cluster('ops-missing');
    const clusterId = clusterArn.split('/').pop()!;
    const opArn = `arn:aws:kafka:us-east-1:${h.accountId}:cluster-operation/ops-missing/${clusterId}/00000000-0000-0000-0000-000000000000`;
    expectError(await refused(h, kafka, new DescribeClusterOperationCommand({ ClusterOperationArn: opArn })), 'NotFoundException', 404, 'clusterOperationArn');
    expectError(await refused(h, kafka, new DescribeClusterOperationV2Command({ ClusterOperationArn: opArn })), 'NotFoundException', 404, 'clusterOperationArn');
    const missing = `arn:aws:kafka:us-east-1:${h.accountId}:cluster/none/00000000-0000-0000-0000-000000000000-1`;
    expectError(await refused(h, kafka, new ListClusterOperationsCommand({ ClusterArn: missing })), 'NotFoundException', 404, 'clusterArn');
    expectError(await refused(h, kafka, new ListClusterOperationsV2Command({ ClusterArn: missing })), 'NotFoundException', 404, 'clusterArn');
  });
});
