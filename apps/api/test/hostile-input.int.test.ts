/**
 * Inputs a hostile caller sends, each of which once answered 500 or stalled the event loop: crafted nextTokens,
 * NUL bytes in paths, queries and bodies, SQL wildcards in clusterNameFilter, huge server.properties. Each now
 * answers the right 4xx with nothing written, quickly.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CreateClusterCommand, CreateConfigurationCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { MAX_SERVER_PROPERTIES_BYTES } from '@openmsk/domain';
import { rowCounts, startApi, type Harness } from './harness';
import { bearer, label, type RawResponse } from './helpers';

let h: Harness;
let kafka: KafkaClient;
let clusterArn = '';
let configurationArn = '';
let operationArn = '';
const subnets = ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'];
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  for (const name of ['hostile', 'a-b', 'axb', 'ab']) {
    const out = await kafka.send(new CreateClusterCommand({
      ClusterName: name, KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: subnets },
    }));
    clusterArn ||= out.ClusterArn!;
  }
  configurationArn = (await kafka.send(new CreateConfigurationCommand({ Name: 'hostile', ServerProperties: new TextEncoder().encode('num.partitions=3\n') }))).Arn!;
  operationArn = (await h.db.clusterOperation.findFirstOrThrow({ where: { cluster: { arn: clusterArn } } })).arn;
});
afterAll(() => h.close());

function expectBadRequest(res: RawResponse, invalidParameter: string | undefined, what: string) {
  expect([what, res.status, res.headers.get('x-amzn-errortype'), res.json?.invalidParameter]).toEqual([what, 400, 'BadRequestException', invalidParameter]);
  expect([what, typeof res.json?.message]).toEqual([what, 'string']);
}

/** Sends a request that must be refused and asserts no table changed size. */
async function refusedRaw(method: string, path: string, body?: unknown): Promise<RawResponse> {
  const before = await rowCounts(h.db);
  const res = await bearer(h, method, path, body);
  expect(await rowCounts(h.db)).toEqual(before);
  return res;
}

const token = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const AT = '2024-01-01T00:00:00.000Z';
const UUID = '00000000-0000-4000-8000-000000000000';

describe('crafted nextTokens answer 400 nextToken (they answered 500: uuid syntax, 22009, BigInt)', () => {
  const lists = () => [
    ['ListClusters', '/v1/clusters'],
    ['ListClustersV2', '/api/v2/clusters'],
    ['ListConfigurations', '/v1/configurations'],
    ['ListClusterOperations', `/v1/clusters/${label(clusterArn)}/operations`],
    ['ListClusterOperationsV2', `/api/v2/clusters/${label(clusterArn)}/operations`],
    ['ListNodes', `/v1/clusters/${label(clusterArn)}/nodes`],
    ['ListConfigurationRevisions', `/v1/configurations/${label(configurationArn)}/revisions`],
  ];
  const everywhere: [string, string][] = [
    ['year -271821', token(['-271821-04-20T00:00:00.000Z', UUID])],
    ['year 275760', token(['+275760-09-13T00:00:00.000Z', UUID])],
    ['not a date', token(['yesterday', UUID])],
    ['no calendar date', token(['2024-02-30T00:00:00.000Z', UUID])],
    ['NUL id', token([AT, '\u0000'])],
    ['number id', token([AT, 1])],
    ['three elements', token([AT, UUID, 'x'])],
    ['an object', token({ at: AT, id: UUID })],
    ['not JSON', Buffer.from('[not json').toString('base64url')],
    ['not base64url', '!!!'],
    ['too long', 'A'.repeat(5000)],
  ];
  const uuidIds: [string, string][] = [['non-UUID id', token([AT, 'not-a-uuid'])], ['upper-case junk', token([AT, "1' OR '1'='1"])]];
  const revisionIds: [string, string][] = ['abc', '1.5', '-1', '0', '01', '1'.repeat(30), '1e3', '9007199254740993'].map((r) => [`revision ${r}`, token([AT, r])]);

  test('every paged operation, every crafted token', async () => {
    for (const [op, path] of lists()) {
      const own = op === 'ListConfigurationRevisions' ? revisionIds : op === 'ListNodes' ? [] : uuidIds;
      for (const [what, t] of [...everywhere, ...own]) {
        expectBadRequest(await refusedRaw('GET', `${path}?nextToken=${encodeURIComponent(t)}`), 'nextToken', `${op}: ${what}`);
      }
    }
  });

  test('tokens the API hands out still page', async () => {
    const first = await bearer(h, 'GET', '/v1/clusters?maxResults=2');
    expect([first.status, first.json.clusterInfoList.length, typeof first.json.nextToken]).toEqual([200, 2, 'string']);
    const second = await bearer(h, 'GET', `/v1/clusters?maxResults=2&nextToken=${encodeURIComponent(first.json.nextToken)}`);
    expect(second.status).toBe(200);
    expect(second.json.clusterInfoList[0].clusterArn).not.toBe(first.json.clusterInfoList[1].clusterArn);
    // A node id is text: any printable one is a position, not an error.
    expect((await bearer(h, 'GET', `/v1/clusters/${label(clusterArn)}/nodes?nextToken=${token([AT, 'not-a-uuid'])}`)).status).toBe(200);
    expect((await bearer(h, 'GET', `/v1/configurations/${label(configurationArn)}/revisions?nextToken=${token([AT, '1'])}`)).json).toEqual({ revisions: [] });
  });
});

describe('NUL bytes answer 400 naming the member (they answered 500: Postgres 22021 / 22P05)', () => {
  test('%00 in every ARN path segment of every operation that has one', async () => {
    const paths: [string, string, string, unknown?][] = [
      ['GET', `/v1/clusters/${label(clusterArn)}%00`, 'clusterArn'],
      ['GET', `/api/v2/clusters/${label(clusterArn)}%00`, 'clusterArn'],
      ['GET', `/v1/clusters/${label(clusterArn)}%00/bootstrap-brokers`, 'clusterArn'],
      ['GET', `/v1/clusters/%00${label(clusterArn)}/nodes`, 'clusterArn'],
      ['DELETE', `/v1/clusters/${label(clusterArn)}%00`, 'clusterArn'],
      ['GET', `/v1/configurations/${label(configurationArn)}%00`, 'arn'],
      ['PUT', `/v1/configurations/${label(configurationArn)}%00`, 'arn', { serverProperties: 'bnVtLnBhcnRpdGlvbnM9Mw==' }],
      ['GET', `/v1/configurations/${label(configurationArn)}%00/revisions`, 'arn'],
      ['GET', `/v1/configurations/${label(configurationArn)}%00/revisions/1`, 'arn'],
      ['DELETE', `/v1/configurations/${label(configurationArn)}%00`, 'arn'],
      ['POST', `/v1/tags/${label(clusterArn)}%00`, 'resourceArn', { tags: { a: 'b' } }],
      ['DELETE', `/v1/tags/${label(clusterArn)}%00?tagKeys=a`, 'resourceArn'],
      ['GET', `/v1/tags/${label(clusterArn)}%00`, 'resourceArn'],
      ['GET', `/v1/clusters/${label(clusterArn)}%00/operations`, 'clusterArn'],
      ['GET', `/api/v2/clusters/${label(clusterArn)}%00/operations`, 'clusterArn'],
      ['GET', `/v1/operations/${label(operationArn)}%00`, 'clusterOperationArn'],
      ['GET', `/api/v2/operations/${label(operationArn)}%00`, 'clusterOperationArn'],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/configuration`, 'clusterArn', { currentVersion: 'x', configurationInfo: { arn: configurationArn, revision: 1 } }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/nodes/storage`, 'clusterArn', { currentVersion: 'x', targetBrokerEBSVolumeInfo: [] }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/storage`, 'clusterArn', { currentVersion: 'x' }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/nodes/count`, 'clusterArn', { currentVersion: 'x', targetNumberOfBrokerNodes: 4 }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/nodes/type`, 'clusterArn', { currentVersion: 'x', targetInstanceType: 'kafka.m5.large' }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/reboot-broker`, 'clusterArn', { brokerIds: ['1'] }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/version`, 'clusterArn', { currentVersion: 'x', targetKafkaVersion: '3.9.x' }],
      ['PUT', `/v1/clusters/${label(clusterArn)}%00/monitoring`, 'clusterArn', { currentVersion: 'x', enhancedMonitoring: 'DEFAULT' }],
    ];
    for (const [method, path, param, body] of paths) expectBadRequest(await refusedRaw(method, path, body), param, `${method} ${path}`);
  });

  test('%00 in the clusterNameFilter, clusterArn, tagKeys and currentVersion queries', async () => {
    for (const [path, param] of [
      ['/v1/clusters?clusterNameFilter=a%00', 'clusterNameFilter'],
      ['/api/v2/clusters?clusterNameFilter=%00', 'clusterNameFilter'],
      [`/v1/compatible-kafka-versions?clusterArn=${label(clusterArn)}%00`, 'clusterArn'],
      [`/v1/tags/${label(clusterArn)}?tagKeys=%00`, 'tagKeys'],
      [`/v1/clusters/${label(clusterArn)}?currentVersion=%00`, 'currentVersion'],
    ]) {
      const method = path.startsWith('/v1/tags') || path.includes('currentVersion') ? 'DELETE' : 'GET';
      expectBadRequest(await refusedRaw(method, path), param, path);
    }
  });

  test('\\u0000 in description, clientSubnets, securityGroups, dataVolumeKMSKeyId and a logging bucket', async () => {
    const cluster = (over: Record<string, unknown>, group: Record<string, unknown> = {}) => ({
      clusterName: 'nul', kafkaVersion: '3.9.x', numberOfBrokerNodes: 2,
      brokerNodeGroupInfo: { instanceType: 'kafka.t3.small', clientSubnets: subnets, ...group },
      ...over,
    });
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/configurations', { name: 'nul', description: 'd\u0000', serverProperties: '' }, 'description'],
      ['PUT', `/v1/configurations/${label(configurationArn)}`, { description: '\u0000', serverProperties: 'bnVtLnBhcnRpdGlvbnM9Mw==' }, 'description'],
      ['POST', '/v1/clusters', cluster({}, { clientSubnets: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d\u0000'] }), 'clientSubnets'],
      ['POST', '/v1/clusters', cluster({}, { securityGroups: ['sg-0a1b2c3d\u0000'] }), 'securityGroups'],
      ['POST', '/v1/clusters', cluster({ encryptionInfo: { encryptionAtRest: { dataVolumeKMSKeyId: 'arn:aws:kms:us-east-1:123456789012:key/\u0000' } } }), 'dataVolumeKMSKeyId'],
      ['POST', '/v1/clusters', cluster({ loggingInfo: { brokerLogs: { s3: { enabled: true, bucket: 'logs\u0000' } } } }), 'bucket'],
      ['POST', '/v1/clusters', cluster({ clusterName: 'n\u0000' }), 'clusterName'],
      ['POST', '/v1/clusters', cluster({ tags: { 'k\u0000': 'v' } }), 'tags'],
      ['POST', `/v1/tags/${label(clusterArn)}`, { tags: { k: '\u0000' } }, 'tags'],
      ['POST', '/api/v2/clusters', { clusterName: 'nul', provisioned: { kafkaVersion: '3.9.x', numberOfBrokerNodes: 2, brokerNodeGroupInfo: { instanceType: 'kafka.t3.small', clientSubnets: ['\u0000'] } } }, 'clientSubnets'],
    ];
    for (const [method, path, body, param] of cases) expectBadRequest(await refusedRaw(method, path, body), param, `${method} ${path} ${param}`);
  });

  test('lone surrogates and bytes that are not UTF-8 in a body', async () => {
    expectBadRequest(await refusedRaw('POST', '/v1/configurations', '{"name":"x","description":"\\ud800","serverProperties":""}'), 'description', 'lone surrogate');
    const before = await rowCounts(h.db);
    const res = await fetch(`${h.url}/v1/configurations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"name":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('","serverProperties":""}')]),
    });
    expect([res.status, res.headers.get('x-amzn-errortype'), ((await res.json()) as { message: string }).message]).toEqual([400, 'BadRequestException', 'The request body is not valid UTF-8.']);
    expect(await rowCounts(h.db)).toEqual(before);
  });
});

describe('clusterNameFilter is a plain prefix', () => {
  const names = async (path: string) => ((await bearer(h, 'GET', path)).json.clusterInfoList as { clusterName: string }[]).map((c) => c.clusterName).sort();

  test('% and _ match themselves only (they were SQL wildcards), in v1 and v2', async () => {
    for (const base of ['/v1/clusters', '/api/v2/clusters']) {
      expect(await names(`${base}?clusterNameFilter=a_`)).toEqual([]);
      expect(await names(`${base}?clusterNameFilter=%25`)).toEqual([]);
      expect(await names(`${base}?clusterNameFilter=a%25b`)).toEqual([]);
      expect(await names(`${base}?clusterNameFilter=_b`)).toEqual([]);
      expect(await names(`${base}?clusterNameFilter=%5C`)).toEqual([]);
      expect(await names(`${base}?clusterNameFilter=%5C%25`)).toEqual([]);
      expect(await names(`${base}?clusterNameFilter=a`)).toEqual(['a-b', 'ab', 'axb']);
      expect(await names(`${base}?clusterNameFilter=a-`)).toEqual(['a-b']);
      expect(await names(`${base}?clusterNameFilter=hostile`)).toEqual(['hostile']);
    }
  });
});

describe('large server.properties', () => {
  const props = (text: string) => Buffer.from(text).toString('base64');

  test('150,000 continuation lines (450 KB) → 400 serverProperties, without holding the event loop (200,000 held it 11 s)', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await refusedRaw('PUT', `/v1/configurations/${label(configurationArn)}`, { serverProperties: props('a\\\n'.repeat(150_000)) });
    delay.disable();
    expectBadRequest(res, 'serverProperties', 'continuations');
    expect(res.json.message).toBe(`The serverProperties parameter is larger than ${MAX_SERVER_PROPERTIES_BYTES} bytes (100 KiB), the most openmsk accepts.`);
    // The longest stall while the request was handled: JSON, base64 and the size check, a few ms per 100 KB.
    expect(delay.max / 1e6).toBeLessThan(500);
  });

  test('300,000 continuation lines (1.2 MB of JSON) are refused for the body size before anything is parsed', async () => {
    const res = await refusedRaw('PUT', `/v1/configurations/${label(configurationArn)}`, { serverProperties: props('a\\\n'.repeat(300_000)) });
    expectBadRequest(res, undefined, 'body limit');
    expect(res.json.message).toBe('The request body is larger than 1 MiB, the most openmsk accepts.');
  });

  test('a 100 KiB worst case (continuation lines up to the limit) is parsed without holding the event loop', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await refusedRaw('PUT', `/v1/configurations/${label(configurationArn)}`, { serverProperties: props('a\\\n'.repeat(Math.floor(MAX_SERVER_PROPERTIES_BYTES / 3))) });
    delay.disable();
    expectBadRequest(res, 'serverProperties', 'continuations at the limit');
    expect(JSON.parse(res.json.message)[0].name).toBe(`${'a'.repeat(256)}...`);
    expect(delay.max / 1e6).toBeLessThan(500);
  });

  test('5,000,000 base64 characters → 400, never a 500 (it answered 500: RangeError in the base64 regex)', async () => {
    expectBadRequest(await refusedRaw('POST', '/v1/configurations', { name: 'huge', serverProperties: 'QUFB'.repeat(1_250_000) }), undefined, 'huge blob');
    // Under the body limit, base64 of 750 KB is checked in one pass and refused by the size rule.
    const res = await refusedRaw('POST', '/v1/configurations', { name: 'huge', serverProperties: 'QUFB'.repeat(250_000) });
    expectBadRequest(res, 'serverProperties', 'large blob');
    expect(res.json.message).toMatch(/larger than 102400 bytes/);
  });

  test('many unknown keys → a bounded message (100,000 keys, 888 KB, once made a 16.8 MB message)', async () => {
    const text = Array.from({ length: 9_000 }, (_, i) => `k${i}=v`).join('\n');
    const res = await refusedRaw('POST', '/v1/configurations', { name: 'many-keys', serverProperties: props(text) });
    expectBadRequest(res, 'serverProperties', 'many keys');
    expect(res.text.length).toBeLessThan(10_000);
    const listed = JSON.parse(res.json.message);
    expect(listed.at(-1)).toEqual({ name: '...', value: '', errorMessages: ['8980 more invalid properties are not listed.'] });
    const all = await refusedRaw('POST', '/v1/configurations', { name: 'many-keys', serverProperties: props(Array.from({ length: 60_000 }, (_, i) => `k${i}=v`).join('\n')) });
    expectBadRequest(all, 'serverProperties', '60,000 keys');
    expect(all.text.length).toBeLessThan(1_000);
  });
});
