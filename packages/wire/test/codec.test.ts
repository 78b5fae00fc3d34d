import {
  BadRequestException, CreateClusterCommand, CreateConfigurationCommand, DescribeClusterCommand, KafkaClient,
  ListNodesCommand, UntagResourceCommand, type CreateClusterRequest,
} from '@aws-sdk/client-kafka';
import { MAX_BLOB_BYTES, MAX_COLLECTION_SIZE, MAX_JSON_DEPTH, MAX_STRING_LENGTH, decodeRequest, encodeResponse } from '../src/codec';
import { MskError } from '../src/errors';
import { matchRoute } from '../src/router';
import { expectLinear } from './linear';

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

describe('hostile input', () => {
  const decode = (op: string, req: Partial<{ labels: Record<string, string>; query: URLSearchParams; body: Buffer }>) =>
    decodeRequest(op, { labels: req.labels ?? {}, query: req.query ?? noQuery, body: req.body });
  const config = (serverProperties: string) => json({ name: 'c', serverProperties });

  test('a 5,000,000-character base64 blob is a BadRequest, not a stack overflow (the regex once threw RangeError)', () => {
    const e = thrown(() => decode('CreateConfiguration', { body: config('QUFB'.repeat(1_250_000)) }));
    expect(e).toMatchObject({ code: 'BadRequestException', invalidParameter: 'serverProperties' });
    expect(e.message).toBe(`Invalid value for serverProperties: at most ${MAX_BLOB_BYTES} bytes (1 MiB) are accepted.`);
  });

  test('a blob of exactly the limit decodes; base64 is checked in time proportional to its length', () => {
    const bytes = Buffer.alloc(MAX_BLOB_BYTES, 7);
    const input = decode('CreateConfiguration', { body: config(bytes.toString('base64')) }) as { ServerProperties: Uint8Array };
    expect(input.ServerProperties.byteLength).toBe(MAX_BLOB_BYTES);
    expectLinear((n) => config('QUFB'.repeat(n) + 'QU=!'), (body) => thrown(() => decode('CreateConfiguration', { body })), 15_000);
  });

  test.each([
    ['unpadded', 'QUE'], ['bad padding', 'QU=A'], ['three pads', 'Q==='], ['url-safe alphabet', 'QU-_'], ['whitespace', 'QUFB QUFB'],
  ])('base64 stays strict: %s is refused', (_what, text) => {
    expect(thrown(() => decode('CreateConfiguration', { body: config(text) })).invalidParameter).toBe('serverProperties');
  });

  test.each([['', 0], ['QQ==', 1], ['QUE=', 2], ['QUFB', 3], ['++//', 3]])('base64 %j decodes to %d bytes', (text, n) => {
    expect((decode('CreateConfiguration', { body: config(text) }) as { ServerProperties: Uint8Array }).ServerProperties.byteLength).toBe(n);
  });

  test('a query number of many digits is checked in linear time (the regex once backtracked quadratically)', () => {
    expectLinear((n) => new URLSearchParams({ maxResults: '1'.repeat(n) + 'x' }), (query) => thrown(() => decode('ListClusters', { query })), 1_000);
    expect(decode('ListClusters', { query: new URLSearchParams('maxResults=1.5e1') })).toEqual({ MaxResults: 15 });
  });

  test('NUL in a label, a query value, a body string, a list item or a map key → BadRequest naming the member', () => {
    const cases: [string, () => unknown, string][] = [
      ['label', () => decode('DescribeCluster', { labels: { ClusterArn: `${ARN}\0` } }), 'clusterArn'],
      ['query', () => decode('ListClusters', { query: new URLSearchParams('clusterNameFilter=a%00b') }), 'clusterNameFilter'],
      ['query list item', () => decode('UntagResource', { labels: { ResourceArn: ARN }, query: new URLSearchParams('tagKeys=a&tagKeys=%00') }), 'tagKeys'],
      ['body string', () => decode('CreateConfiguration', { body: json({ name: 'c', description: 'a\u0000', serverProperties: '' }) }), 'description'],
      ['list item', () => decode('CreateCluster', { body: json({ ...createCluster, brokerNodeGroupInfo: { ...createCluster.brokerNodeGroupInfo, clientSubnets: ['subnet-1\u0000'] } }) }), 'clientSubnets'],
      ['nested string', () => decode('CreateCluster', { body: json({ ...createCluster, encryptionInfo: { encryptionAtRest: { dataVolumeKMSKeyId: '\u0000' } } }) }), 'dataVolumeKMSKeyId'],
      ['map key', () => decode('TagResource', { labels: { ResourceArn: ARN }, body: json({ tags: { 'k\u0000': 'v' } }) }), 'tags'],
      ['map value', () => decode('TagResource', { labels: { ResourceArn: ARN }, body: json({ tags: { k: 'v\u0000' } }) }), 'tags'],
    ];
    for (const [what, call, param] of cases) {
      const e = thrown(call);
      expect([what, e.code, e.invalidParameter, e.message]).toEqual([what, 'BadRequestException', param, expect.stringContaining('must not contain NUL')]);
    }
  });

  test('lone surrogates in JSON strings and bytes that are not UTF-8 → BadRequest', () => {
    const lone = thrown(() => decode('CreateConfiguration', { body: Buffer.from('{"name":"c","description":"x\\ud800y","serverProperties":""}') }));
    expect(lone).toMatchObject({ code: 'BadRequestException', invalidParameter: 'description' });
    const low = thrown(() => decode('TagResource', { labels: { ResourceArn: ARN }, body: Buffer.from('{"tags":{"\\udc00":"v"}}') }));
    expect(low.invalidParameter).toBe('tags');
    // A proper pair is fine.
    expect(decode('TagResource', { labels: { ResourceArn: ARN }, body: json({ tags: { k: '😀' } }) })).toEqual({ ResourceArn: ARN, Tags: { k: '😀' } });
    for (const bytes of [[0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('","serverProperties":""}')]);
      expect(thrown(() => decode('CreateConfiguration', { body })).message).toBe('The request body is not valid UTF-8.');
    }
  });

  test('strings, lists and maps have a size limit', () => {
    const long = 'x'.repeat(MAX_STRING_LENGTH + 1);
    expect(thrown(() => decode('CreateConfiguration', { body: json({ name: 'c', description: long, serverProperties: '' }) })).invalidParameter).toBe('description');
    expect(thrown(() => decode('DescribeCluster', { labels: { ClusterArn: long } })).invalidParameter).toBe('clusterArn');
    const many = Array.from({ length: MAX_COLLECTION_SIZE + 1 }, (_, i) => `k${i}`);
    expect(thrown(() => decode('TagResource', { labels: { ResourceArn: ARN }, body: json({ tags: Object.fromEntries(many.map((k) => [k, 'v'])) }) })).invalidParameter).toBe('tags');
    expect(thrown(() => decode('UntagResource', { labels: { ResourceArn: ARN }, query: new URLSearchParams(many.map((k): [string, string] => ['tagKeys', k])) })).invalidParameter).toBe('tagKeys');
    expect(thrown(() => decode('RebootBroker', { labels: { ClusterArn: ARN }, body: json({ brokerIds: many }) })).invalidParameter).toBe('brokerIds');
    expect((decode('UntagResource', { labels: { ResourceArn: ARN }, query: new URLSearchParams(many.slice(1).map((k): [string, string] => ['tagKeys', k])) }) as { TagKeys: string[] }).TagKeys).toHaveLength(MAX_COLLECTION_SIZE);
  });

  test('deeply nested JSON is refused before JSON.parse (5 million levels held the event loop for 2.4 s)', () => {
    const deep = (n: number) => Buffer.from(`{"name":${'['.repeat(n)}${']'.repeat(n)}}`);
    expect(thrown(() => decode('CreateConfiguration', { body: deep(5_000_000) })).message).toBe(`The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.`);
    expect(thrown(() => decode('CreateConfiguration', { body: deep(MAX_JSON_DEPTH) })).message).toBe(`The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.`);
    // Exactly the limit is parsed (and then refused for its type); brackets and escaped quotes inside strings do not count.
    expect(thrown(() => decode('CreateConfiguration', { body: deep(MAX_JSON_DEPTH - 1) })).message).toMatch(/^Invalid value for name/);
    const tricky = json({ name: 'c', description: `\\"${'['.repeat(1000)}\"{{{`, serverProperties: '' });
    expect(decode('CreateConfiguration', { body: tricky })).toMatchObject({ Name: 'c' });
    expectLinear((n) => json({ name: 'c', description: '\\"[{'.repeat(n), serverProperties: '' }), (body) => { try { decode('CreateConfiguration', { body }); } catch { /* refused: too long */ } }, 3_000);
  });

  test('a map key named __proto__ is an ordinary key', () => {
    const input = decode('TagResource', { labels: { ResourceArn: ARN }, body: Buffer.from('{"tags":{"__proto__":"v","a":"b"}}') }) as { Tags: Record<string, string> };
    expect(Object.keys(input.Tags)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(input.Tags)).toBe(Object.prototype);
  });
});
