import {
  BadRequestException, CreateClusterCommand, CreateConfigurationCommand, DescribeClusterCommand, KafkaClient,
  ListNodesCommand, UntagResourceCommand, type CreateClusterRequest,
} from '@aws-sdk/client-kafka';
import { decodeRequest, encodeResponse } from '../src/codec';
import { MskError } from '../src/errors';
import { matchRoute } from '../src/router';

const ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/6f5e0c1a-7';
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const noQuery = new URLSearchParams();

/** Runs `fn` and returns the MskError it throws (fails the test if it does not throw one). */
function thrown(fn: () => unknown): MskError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MskError) return e;
    throw e;
  }
  throw new Error('expected an MskError');
}

const createCluster = {
  clusterName: 'demo',
  kafkaVersion: '3.6.0',
  numberOfBrokerNodes: 3,
  brokerNodeGroupInfo: {
    clientSubnets: ['subnet-11111111', 'subnet-22222222', 'subnet-33333333'],
    instanceType: 'kafka.m5.large',
    storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
  },
  tags: { team: 'a' },
  enhancedMonitoring: 'PER_BROKER',
};

describe('decodeRequest', () => {
  test('CreateCluster body to SDK shape, unknown members ignored', () => {
    const input = decodeRequest<CreateClusterRequest>('CreateCluster', {
      labels: {}, query: noQuery, body: json({ ...createCluster, somethingNew: 1, brokerNodeGroupInfo: { ...createCluster.brokerNodeGroupInfo, zzz: true } }),
    });
    expect(input).toEqual({
      ClusterName: 'demo', KafkaVersion: '3.6.0', NumberOfBrokerNodes: 3, Tags: { team: 'a' }, EnhancedMonitoring: 'PER_BROKER',
      BrokerNodeGroupInfo: {
        ClientSubnets: ['subnet-11111111', 'subnet-22222222', 'subnet-33333333'], InstanceType: 'kafka.m5.large',
        StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
      },
    });
  });

  test('wrong types and missing required members -> BadRequest with the wire name', () => {
    const bad = (body: unknown) => thrown(() => decodeRequest('CreateCluster', { labels: {}, query: noQuery, body: json(body) }));
    expect(bad({ ...createCluster, numberOfBrokerNodes: '3' })).toMatchObject({ code: 'BadRequestException', status: 400, invalidParameter: 'numberOfBrokerNodes' });
    const nested = bad({ ...createCluster, brokerNodeGroupInfo: { ...createCluster.brokerNodeGroupInfo, storageInfo: { ebsStorageInfo: { volumeSize: 'big' } } } });
    expect(nested.invalidParameter).toBe('volumeSize');
    expect(nested.message).toContain('brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize');
    expect(bad({ ...createCluster, brokerNodeGroupInfo: { ...createCluster.brokerNodeGroupInfo, clientSubnets: 'subnet-11111111' } }).invalidParameter).toBe('clientSubnets');
    expect(bad({ ...createCluster, brokerNodeGroupInfo: { instanceType: 'kafka.m5.large' } }).invalidParameter).toBe('clientSubnets');
    expect(bad({ ...createCluster, tags: { a: 1 } }).invalidParameter).toBe('tags');
    expect(bad({ ...createCluster, enhancedMonitoring: 'LOTS' }).invalidParameter).toBe('enhancedMonitoring');
    const { clusterName: _omit, ...noName } = createCluster;
    const e = bad(noName);
    expect(e.invalidParameter).toBe('clusterName');
    expect(e.message).toBe('The request is missing required parameter clusterName.');
    expect(bad({ ...createCluster, clusterName: null }).invalidParameter).toBe('clusterName');
  });

  test('empty, malformed and non-object bodies', () => {
    const call = (body: Buffer | undefined) => thrown(() => decodeRequest('CreateCluster', { labels: {}, query: noQuery, body }));
    expect(call(undefined).invalidParameter).toBe('brokerNodeGroupInfo');
    expect(call(Buffer.alloc(0)).code).toBe('BadRequestException');
    expect(call(Buffer.from('{"clusterName":')).message).toMatch(/not valid JSON/);
    expect(call(Buffer.from('[1]')).message).toMatch(/JSON object/);
    expect(call(Buffer.from('null')).message).toMatch(/JSON object/);
    // no body members at all: the body is not even read
    expect(decodeRequest('DescribeCluster', { labels: { ClusterArn: ARN }, query: noQuery, body: Buffer.from('garbage') })).toEqual({ ClusterArn: ARN });
  });

  test('UntagResource: repeated tagKeys become a list; label kept', () => {
    const q = new URLSearchParams('tagKeys=b&tagKeys=a');
    expect(decodeRequest('UntagResource', { labels: { ResourceArn: ARN }, query: q, body: undefined })).toEqual({ ResourceArn: ARN, TagKeys: ['b', 'a'] });
    expect(thrown(() => decodeRequest('UntagResource', { labels: { ResourceArn: ARN }, query: noQuery, body: undefined })).invalidParameter).toBe('tagKeys');
  });

  test('query and label strings are converted per model', () => {
    const q = new URLSearchParams('maxResults=10&nextToken=t&clusterNameFilter=de%20mo&unknown=1');
    expect(decodeRequest('ListClusters', { labels: {}, query: q, body: undefined })).toEqual({ MaxResults: 10, NextToken: 't', ClusterNameFilter: 'de mo' });
    for (const v of ['ten', '', '10abc']) {
      const e = thrown(() => decodeRequest('ListClusters', { labels: {}, query: new URLSearchParams({ maxResults: v }), body: undefined }));
      expect(e).toMatchObject({ code: 'BadRequestException', invalidParameter: 'maxResults' });
    }
    expect(decodeRequest('DescribeConfigurationRevision', { labels: { Arn: 'a', Revision: '3' }, query: noQuery, body: undefined })).toEqual({ Arn: 'a', Revision: 3 });
    expect(thrown(() => decodeRequest('DescribeConfigurationRevision', { labels: { Arn: 'a', Revision: 'x' }, query: noQuery, body: undefined })).invalidParameter).toBe('revision');
  });

  test('blobs are base64, strictly', () => {
    const sp = 'auto.create.topics.enable = true\n';
    const input = decodeRequest<{ ServerProperties: Uint8Array }>('CreateConfiguration', {
      labels: {}, query: noQuery, body: json({ name: 'c', serverProperties: Buffer.from(sp).toString('base64') }),
    });
    expect(input.ServerProperties).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(input.ServerProperties).toString()).toBe(sp);
    const e = thrown(() => decodeRequest('CreateConfiguration', { labels: {}, query: noQuery, body: json({ name: 'c', serverProperties: 'auto.create=true' }) }));
    expect(e.invalidParameter).toBe('serverProperties');
  });
});

describe('encodeResponse', () => {
  test('ListNodes: nodeARN, double ids, dropped and omitted members', () => {
    const out = encodeResponse('ListNodes', {
      NodeInfoList: [{
        NodeARN: 'arn:node', NodeType: 'BROKER', InstanceType: 'kafka.m5.large', AddedToClusterTime: '2019-05-21T19:37:40.626Z',
        BrokerNodeInfo: { BrokerId: 1, ClientSubnet: 's', Endpoints: ['b-1.x'], AttachedENIId: 'eni-1', CurrentBrokerSoftwareInfo: undefined },
        NotInModel: 'x',
      }],
      NextToken: undefined,
      $metadata: {},
    });
    expect(out).toEqual({
      nodeInfoList: [{
        nodeARN: 'arn:node', nodeType: 'BROKER', instanceType: 'kafka.m5.large', addedToClusterTime: '2019-05-21T19:37:40.626Z',
        brokerNodeInfo: { brokerId: 1, clientSubnet: 's', endpoints: ['b-1.x'], attachedENIId: 'eni-1' },
      }],
    });
  });

  test('broker storage volumeSizeGB, dates as ISO strings, empty lists kept', () => {
    const out = encodeResponse('DescribeCluster', {
      ClusterInfo: {
        ClusterName: 'demo', CreationTime: new Date(Date.UTC(2019, 4, 21, 19, 37, 40, 626)), State: 'ACTIVE', Tags: {},
        BrokerNodeGroupInfo: { ClientSubnets: [], InstanceType: 'kafka.m5.large' },
      },
    });
    expect(out).toEqual({ clusterInfo: {
      clusterName: 'demo', creationTime: '2019-05-21T19:37:40.626Z', state: 'ACTIVE', tags: {},
      brokerNodeGroupInfo: { clientSubnets: [], instanceType: 'kafka.m5.large' },
    } });
    expect(encodeResponse('UpdateBrokerStorage', { ClusterArn: ARN })).toEqual({ clusterArn: ARN });
    const op = encodeResponse('DescribeClusterOperation', { ClusterOperationInfo: { TargetClusterInfo: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'ALL', VolumeSizeGB: 200 }] } } });
    expect(op).toEqual({ clusterOperationInfo: { targetClusterInfo: { brokerEBSVolumeInfo: [{ kafkaBrokerNodeId: 'ALL', volumeSizeGB: 200 }] } } });
  });

  test('blobs to base64; Unit output is empty; type bugs throw plain Errors', () => {
    const rev = encodeResponse('DescribeConfigurationRevision', { Arn: 'a', Revision: 1, ServerProperties: new Uint8Array(Buffer.from('a=b\n')) });
    expect(rev).toEqual({ arn: 'a', revision: 1, serverProperties: Buffer.from('a=b\n').toString('base64') });
    expect(encodeResponse('TagResource', {})).toEqual({});
    expect(() => encodeResponse('DescribeCluster', { ClusterInfo: { NumberOfBrokerNodes: '3' } })).toThrow(/NumberOfBrokerNodes must be a finite number/);
    expect(() => encodeResponse('DescribeCluster', { ClusterInfo: { CreationTime: 'yesterday' } })).toThrow(/CreationTime must be a Date/);
  });
});

/** The real SDK client, wired to router + codec instead of HTTP: proves both directions match its serde. */
function sdkAgainst(impl: (op: string, input: Record<string, unknown>) => object) {
  const handle = async (req: { method: string; path: string; query?: Record<string, string | string[] | null>; body?: unknown }) => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) for (const x of [v ?? ''].flat()) query.append(k, x);
    // The SDK hands a Uint8Array subclass that warns on string-style access (what Buffer.from(obj) does).
    const raw = req.body as Uint8Array | string | undefined;
    const body = raw === undefined ? undefined : typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    const reply = (statusCode: number, headers: Record<string, string>, payload?: unknown) => ({
      response: { statusCode, headers, body: new TextEncoder().encode(payload === undefined ? '' : JSON.stringify(payload)) },
    });
    try {
      const route = matchRoute(req.method, req.path)!;
      const input = decodeRequest(route.operation.name, { labels: route.labels, query, body });
      const out = encodeResponse(route.operation.name, impl(route.operation.name, input));
      return reply(route.operation.status, { 'content-type': 'application/json' }, route.operation.status === 204 ? undefined : out);
    } catch (e) {
      if (!(e instanceof MskError)) throw e;
      return reply(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.code }, e.body());
    }
  };
  return new KafkaClient({
    region: 'us-east-1', endpoint: 'http://127.0.0.1:1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    requestHandler: { handle } as never,
  });
}

describe('round trip through @aws-sdk/client-kafka', () => {
  test('CreateCluster input, DescribeCluster output, Untag query, ListNodes nodeARN', async () => {
    const seen: Record<string, unknown> = {};
    const created = new Date('2024-01-02T03:04:05.678Z');
    const client = sdkAgainst((op, input) => {
      seen[op] = input;
      if (op === 'DescribeCluster') return { ClusterInfo: { ClusterArn: input.ClusterArn, CreationTime: created, State: 'ACTIVE', BrokerNodeGroupInfo: { ClientSubnets: ['s'], InstanceType: 'kafka.m5.large', StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } } } };
      if (op === 'ListNodes') return { NodeInfoList: [{ NodeARN: 'arn:node/1', BrokerNodeInfo: { BrokerId: 1 } }] };
      return { ClusterArn: ARN, State: 'CREATING', ClusterName: 'demo' };
    });
    const input: CreateClusterRequest = {
      ClusterName: 'demo', KafkaVersion: '3.6.0', NumberOfBrokerNodes: 3, Tags: { a: 'b' },
      BrokerNodeGroupInfo: { ClientSubnets: ['subnet-11111111'], InstanceType: 'kafka.m5.large', StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
    };
    const res = await client.send(new CreateClusterCommand(input));
    expect(seen.CreateCluster).toEqual(input);
    expect(res).toMatchObject({ ClusterArn: ARN, State: 'CREATING', ClusterName: 'demo' });

    const d = await client.send(new DescribeClusterCommand({ ClusterArn: ARN }));
    expect(d.ClusterInfo).toEqual({ ClusterArn: ARN, CreationTime: created, State: 'ACTIVE', BrokerNodeGroupInfo: { ClientSubnets: ['s'], InstanceType: 'kafka.m5.large', StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } } });

    const n = await client.send(new ListNodesCommand({ ClusterArn: ARN, MaxResults: 5 }));
    expect(seen.ListNodes).toEqual({ ClusterArn: ARN, MaxResults: 5 });
    expect(n.NodeInfoList).toEqual([{ NodeARN: 'arn:node/1', BrokerNodeInfo: { BrokerId: 1 } }]);

    await client.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['b', 'a'] }));
    expect(seen.UntagResource).toEqual({ ResourceArn: ARN, TagKeys: ['b', 'a'] });

    const sp = new Uint8Array(Buffer.from('auto.create.topics.enable=true\n'));
    await client.send(new CreateConfigurationCommand({ Name: 'c', ServerProperties: sp }));
    expect(seen.CreateConfiguration).toEqual({ Name: 'c', ServerProperties: sp });
  });

  test('a decode failure reaches the SDK as BadRequestException with InvalidParameter', async () => {
    const client = sdkAgainst(() => ({}));
    const err = await client.send(new CreateClusterCommand({ ClusterName: 'x' } as CreateClusterRequest)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err).toMatchObject({ InvalidParameter: 'brokerNodeGroupInfo', $metadata: { httpStatusCode: 400 } });
  });
});
