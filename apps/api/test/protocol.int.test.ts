import * as sdk from '@aws-sdk/client-kafka';
import { CreateClusterCommand, DescribeClusterCommand, KafkaClient, ListTagsForResourceCommand } from '@aws-sdk/client-kafka';
import { operationQueue } from '@openmsk/queue';
import { OPERATIONS } from '@openmsk/wire';
import { buildApp } from '../src/app';
import { HANDLERS } from '../src/operations';
import { rowCounts, startApi, type Harness } from './harness';
import { bearer, label, raw, signed, type RawResponse } from './helpers';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const clusterBody = (name: string) => ({
  clusterName: name,
  kafkaVersion: '3.9.x',
  numberOfBrokerNodes: 2,
  brokerNodeGroupInfo: { instanceType: 'kafka.t3.small', clientSubnets: ['subnet-11111111', 'subnet-22222222'], storageInfo: { ebsStorageInfo: { volumeSize: 20 } } },
});

const newCluster = async (name: string) => (await kafka.send(new CreateClusterCommand({
  ClusterName: name, KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
  BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
}))).ClusterArn!;

/** The first operation of the SDK model that openmsk does not implement (the list shrinks as work lands). */
const unimplemented = OPERATIONS.find((op) => !HANDLERS[op.name]);
const dummyArn = 'arn:aws:kafka:us-east-1:123456789012:cluster/x/00000000-0000-0000-0000-000000000000-1';
const pathOf = (template: string) => template.replace(/\{\w+\}/g, label(dummyArn));

function expectAwsError(res: RawResponse, status: number, code: string) {
  expect({ status: res.status, code: res.headers.get('x-amzn-errortype') }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof res.json?.message).toBe('string');
  expect(res.json.message.length).toBeGreaterThan(0);
}

describe('Response headers', () => {
  test('every response carries x-amzn-RequestId (unique) and Date; errors carry x-amzn-ErrorType and a JSON message', async () => {
    const arn = await newCluster('headers');
    const responses: [string, RawResponse, boolean][] = [
      ['health', await raw(h, 'GET', '/health'), false],
      ['openapi', await raw(h, 'GET', '/openapi.json'), false],
      ['docs', await raw(h, 'GET', '/docs/', {}), false],
      ['list 200', await bearer(h, 'GET', '/v1/clusters'), false],
      ['v2 list 200', await bearer(h, 'GET', '/api/v2/clusters'), false],
      ['tag 204', await bearer(h, 'POST', `/v1/tags/${label(arn)}`, { tags: { a: 'b' } }), false],
      ['signed 200', await signed(h, 'GET', `/v1/clusters/${label(arn)}`), false],
      ['400', await bearer(h, 'GET', '/v1/clusters?maxResults=abc'), true],
      ['403 unsigned', await raw(h, 'GET', '/v1/clusters'), true],
      ['404 missing cluster', await bearer(h, 'GET', `/v1/clusters/${label(dummyArn)}`), true],
      ['404 unknown /v1 path', await bearer(h, 'GET', '/v1/no-such-thing'), true],
      ['404 unknown path', await raw(h, 'GET', '/no-such-thing'), true],
      ['404 other method', await raw(h, 'OPTIONS', '/v1/clusters'), true],
    ];
    const ids = new Set<string>();
    for (const [what, res, isError] of responses) {
      const id = res.headers.get('x-amzn-requestid');
      const date = res.headers.get('date');
      expect([what, id]).toEqual([what, expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)]);
      expect([what, Math.abs(new Date(date!).getTime() - Date.now()) < 60_000]).toEqual([what, true]);
      ids.add(id!);
      if (isError) {
        expect([what, res.status >= 400, res.headers.get('x-amzn-errortype')]).toEqual([what, true, expect.stringMatching(/^[A-Za-z]+Exception$/)]);
        expect([what, typeof res.json?.message]).toEqual([what, 'string']);
      } else {
        expect([what, res.status < 300, res.headers.get('x-amzn-errortype')]).toEqual([what, true, null]);
      }
    }
    expect(ids.size).toBe(responses.length);
  });

  test('the SDK surfaces the request id', async () => {
    const out = await kafka.send(new sdk.ListClustersCommand({}));
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Status codes and bodies', () => {
  test('TagResource / UntagResource answer 204 with an empty body', async () => {
    const arn = await newCluster('no-content');
    for (const res of [
      await bearer(h, 'POST', `/v1/tags/${label(arn)}`, { tags: { a: '1', b: '2' } }),
      await signed(h, 'DELETE', `/v1/tags/${label(arn)}`, { tagKeys: ['b', 'a'] }),
    ]) {
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    }
    expect((await kafka.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({});
  });

  test('JSON bodies use wire names and RFC 3339 timestamps', async () => {
    const arn = await newCluster('wire-names');
    const res = await bearer(h, 'GET', `/v1/clusters/${label(arn)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const c = res.json.clusterInfo;
    expect(c.clusterArn).toBe(arn);
    expect(c.creationTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(c.brokerNodeGroupInfo.clientSubnets).toEqual(['subnet-11111111', 'subnet-22222222']);
    expect(c.encryptionInfo.encryptionInTransit).toMatchObject({ clientBroker: 'TLS', inCluster: true });
    // No null members and no SDK-cased keys.
    expect(res.text).not.toMatch(/:null[,}]/);
    expect(Object.keys(c).filter((k) => /^[A-Z]/.test(k))).toEqual([]);
  });

  test('unknown path under /v1 → 404 UnknownOperationException (after authentication)', async () => {
    expectAwsError(await bearer(h, 'GET', '/v1/clusterz'), 404, 'UnknownOperationException');
    expectAwsError(await bearer(h, 'PUT', '/v1/clusters'), 404, 'UnknownOperationException');
    expectAwsError(await bearer(h, 'GET', '/v1/clusters/'), 404, 'UnknownOperationException');
    expectAwsError(await raw(h, 'GET', '/v1/clusterz'), 403, 'MissingAuthenticationTokenException');
    expectAwsError(await raw(h, 'GET', '/v2/clusters'), 404, 'UnknownOperationException');
  });

  test('an operation of the model that is not implemented answers a clear error (raw and SDK)', async () => {
    expect(unimplemented).toBeDefined();
    const op = unimplemented!;
    const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined;
    const before = await rowCounts(h.db);
    const res = await bearer(h, op.method, pathOf(op.pathTemplate), body);
    expectAwsError(res, 501, 'NotImplementedException');
    expect(res.json.message).toContain(`${op.name} is not implemented`);

    const Command = (sdk as unknown as Record<string, new (input: object) => object>)[`${op.name}Command`];
    const input = Object.fromEntries(Object.values(op.input.members).filter((m) => m.location === 'label').map((m) => [m.name, dummyArn]));
    const e = await kafka.send(new Command(input) as never).then(() => undefined, (x) => x);
    expect({ name: e?.name, status: e?.$metadata?.httpStatusCode }).toEqual({ name: 'NotImplementedException', status: 501 });
    expect(e.message).toContain(op.name);
    expect(await rowCounts(h.db)).toEqual(before);
  });

  test('unknown JSON members are ignored, at the top level and nested', async () => {
    const body = {
      ...clusterBody('extra-members'),
      someFutureMember: { deep: [1, 2, 3] },
      rebalancing: { status: 'ACTIVE' },
    };
    body.brokerNodeGroupInfo = { ...body.brokerNodeGroupInfo, zoneIds: ['use1-az1', 'use1-az2'], notAMember: true } as never;
    const res = await bearer(h, 'POST', '/v1/clusters', body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ clusterName: 'extra-members', state: 'CREATING' });
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: res.json.clusterArn }));
    expect(ClusterInfo?.BrokerNodeGroupInfo).toMatchObject({ InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'], StorageInfo: { EbsStorageInfo: { VolumeSize: 20 } } });
  });

  test('a body that is not valid JSON, not an object, or mistyped → BadRequestException, nothing written', async () => {
    const before = await rowCounts(h.db);
    const bad = await bearer(h, 'POST', '/v1/clusters', '{"clusterName": "broken",');
    expectAwsError(bad, 400, 'BadRequestException');
    expect(bad.json.message).toBe('The request body is not valid JSON.');
    expectAwsError(await bearer(h, 'POST', '/v1/clusters', '[1,2]'), 400, 'BadRequestException');
    const typed = await bearer(h, 'POST', '/v1/clusters', { ...clusterBody('typed'), numberOfBrokerNodes: '2' });
    expectAwsError(typed, 400, 'BadRequestException');
    expect(typed.json.invalidParameter).toBe('numberOfBrokerNodes');
    const query = await bearer(h, 'GET', '/v1/clusters?maxResults=abc');
    expectAwsError(query, 400, 'BadRequestException');
    expect(query.json.invalidParameter).toBe('maxResults');
    // Signed requests get the same answer: the signature is over the raw bytes, then the body is parsed.
    expectAwsError(await signed(h, 'POST', '/v1/clusters', {}, '{not json'), 400, 'BadRequestException');
    expect(await rowCounts(h.db)).toEqual(before);
  });
});

describe('Health, OpenAPI and Swagger UI', () => {
  test('GET /health → 200 {status: ok, postgres: up, redis: up} without credentials', async () => {
    const res = await raw(h, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok', postgres: 'up', redis: 'up', worker: { status: 'unknown' } });
  });

  test('GET /health carries what the worker published: storage, encryption at rest (none, with the reason), images', async () => {
    const queue = operationQueue(h.config.OPENMSK_REDIS_URL, h.config.OPENMSK_QUEUE_PREFIX);
    try {
      // The connection queues nothing while it connects (enableOfflineQueue: false): wait until it answers.
      for (let i = 0; i < 50 && !(await queue.ping()); i++) await new Promise((r) => setTimeout(r, 100));
      // What a worker on a host like the one of docs/encryption-at-rest.md publishes (packages/runtime probeEncryption).
      const reason = 'openmsk does not encrypt broker volumes yet (docs/encryption-at-rest.md); this host: no device-mapper, so no dm-crypt; ext4 fscrypt supported but online ext4 growth is refused (no CAP_SYS_RESOURCE), kernel 6.18.44';
      const at = new Date().toISOString();
      await queue.publishWorkerStatus({ storage: 'xfs-loop', encryption: 'none', encryptionReason: reason, images: ['3.9.1'], at }, 60);
      let res = await raw(h, 'GET', '/health');
      expect(res.status).toBe(200);
      expect(res.json.worker).toEqual({
        status: 'up',
        storage: 'xfs-loop',
        encryptionAtRest: 'none',
        encryptionWarning: `broker volumes are not encrypted at rest: ${reason}`,
        images: ['3.9.1'],
        reportedAt: at,
      });

      // A worker older than the field: nothing claimed either way, and the storage fallback still warns.
      await queue.publishWorkerStatus({ storage: 'directory', storageReason: 'no /dev/loop-control', images: [], at }, 60);
      res = await raw(h, 'GET', '/health');
      expect(res.json.worker).toEqual({
        status: 'up',
        storage: 'directory',
        warning: 'broker volumes are plain directories: sizes are not enforced (no /dev/loop-control)',
        images: [],
        reportedAt: at,
      });
    } finally {
      await queue.close();
    }
  });

  test('GET /health → 503 degraded when Redis is down', async () => {
    const app = await buildApp({ config: h.config, db: h.db, reads: {} as never, accounts: {} as never, box: {} as never, versions: {} as never, kafka: {} as never, enqueue: async () => false, redisPing: async () => false });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'degraded', postgres: 'up', redis: 'down', worker: { status: 'unknown' } });
    } finally {
      await app.close();
    }
  });

  test('GET /openapi.json: one operation per implemented handler, AWS names, wire member names', async () => {
    const res = await raw(h, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json;
    expect(doc.openapi).toMatch(/^3\./);
    const listed: string[] = [];
    for (const methods of Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const o of Object.values(methods)) listed.push(o.operationId);
    }
    expect(listed.sort()).toEqual(Object.keys(HANDLERS).sort());
    for (const op of OPERATIONS) {
      const entry = doc.paths[op.pathTemplate]?.[op.method.toLowerCase()];
      if (HANDLERS[op.name]) expect([op.name, entry?.operationId]).toEqual([op.name, op.name]);
      else expect([op.name, entry]).toEqual([op.name, undefined]);
    }
    if (!HANDLERS.ListNodes) expect(listed).not.toContain('ListNodes');

    const create = doc.paths['/v1/clusters'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['brokerNodeGroupInfo', 'clusterName', 'kafkaVersion', 'numberOfBrokerNodes', 'configurationInfo']));
    expect(schema.required).toEqual(expect.arrayContaining(['brokerNodeGroupInfo', 'clusterName', 'kafkaVersion', 'numberOfBrokerNodes']));
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.BrokerNodeGroupInfo.properties)).toEqual(expect.arrayContaining(['instanceType', 'clientSubnets', 'storageInfo']));
    expect(Object.keys(schemas.StorageInfo.properties)).toContain('ebsStorageInfo');
    // Inner capitals are kept (a lodash-style camelCase would give dataVolumeKmsKeyId).
    expect(Object.keys(schemas.EncryptionAtRest.properties)).toEqual(['dataVolumeKMSKeyId']);
    expect(create.responses['200']).toBeDefined();
    expect(create.responses['409'].headers['x-amzn-ErrorType']).toBeDefined();
    expect(doc.paths['/v1/tags/{ResourceArn}'].post.responses['204']).toBeDefined();
    const untagParams = doc.paths['/v1/tags/{ResourceArn}'].delete.parameters;
    expect(untagParams).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tagKeys', in: 'query', explode: true })]));
  });

  test('GET /docs serves Swagger UI (following redirects)', async () => {
    const redirect = await raw(h, 'GET', '/docs/static/index.html');
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/docs/']);
    for (const path of ['/docs', '/docs/', '/docs/static/index.html']) {
      const res = await raw(h, 'GET', path, { redirect: 'follow' });
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.text).toContain('<title>openmsk — API docs</title>');
      // Every script and stylesheet the page references loads.
      const page = path === '/docs/static/index.html' ? '/docs/' : path; // where the redirect lands
      const assets = [...res.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1], `${h.url}${page}`).pathname);
      expect(assets.length).toBeGreaterThanOrEqual(4);
      for (const asset of assets) expect([asset, (await raw(h, 'GET', asset)).status]).toEqual([asset, 200]);
    }
    const spec = await raw(h, 'GET', '/docs/json', { redirect: 'follow' });
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.json.paths).sort()).toEqual(Object.keys((await raw(h, 'GET', '/openapi.json')).json.paths).sort());
  });
});
