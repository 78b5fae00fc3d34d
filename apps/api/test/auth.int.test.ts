import {
  CreateClusterCommand, CreateConfigurationCommand, DeleteClusterCommand, DeleteConfigurationCommand, DescribeClusterCommand,
  DescribeClusterOperationCommand, DescribeConfigurationCommand, DescribeConfigurationRevisionCommand,
  GetCompatibleKafkaVersionsCommand, KafkaClient, ListClusterOperationsCommand, ListClustersCommand, ListConfigurationsCommand,
  ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, UpdateConfigurationCommand,
} from '@aws-sdk/client-kafka';
import { connect } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { rowCounts, startApi, type Harness } from './harness';
import { bearer, expectError, label, raw, refused, signed, type SdkError } from './helpers';

let h: Harness;
let kafka: KafkaClient;
const extraClients: KafkaClient[] = [];
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(async () => {
  extraClients.forEach((c) => c.destroy());
  await h.close();
});

/** A client with options the harness does not set (clock offset, retries). */
function clientWith(opts: { systemClockOffset?: number; maxAttempts?: number; credentials?: { accessKeyId: string; secretAccessKey: string } }) {
  const c = new KafkaClient({ endpoint: h.url, region: 'us-east-1', credentials: opts.credentials ?? h.credentials, maxAttempts: opts.maxAttempts ?? 1, systemClockOffset: opts.systemClockOffset });
  extraClients.push(c);
  return c;
}

const createCluster = (client: KafkaClient, name: string) => client.send(new CreateClusterCommand({
  ClusterName: name,
  KafkaVersion: '3.9.x',
  NumberOfBrokerNodes: 2,
  BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
  Tags: { owner: 'a' },
}));

describe('SigV4 failures (403, AWS front-door codes)', () => {
  test('unsigned request → 403 MissingAuthenticationTokenException', async () => {
    const before = await rowCounts(h.db);
    for (const [method, path, body] of [['GET', '/v1/clusters'], ['POST', '/v1/configurations', '{"name":"x"}'], ['GET', '/api/v2/clusters']] as const) {
      const res = await raw(h, method, path, { body, headers: body ? { 'content-type': 'application/json' } : {} });
      expect([path, res.status, res.headers.get('x-amzn-errortype')]).toEqual([path, 403, 'MissingAuthenticationTokenException']);
      expect(res.json).toEqual({ message: 'Missing Authentication Token' });
      expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(await rowCounts(h.db)).toEqual(before);
  });

  test('SDK with a wrong secret → InvalidSignatureException 403', async () => {
    const bad = h.client({ accessKeyId: h.credentials.accessKeyId, secretAccessKey: `${h.credentials.secretAccessKey}x` });
    const e = await refused(h, bad, new CreateConfigurationCommand({ Name: 'nope', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')) }));
    expectError(e, 'InvalidSignatureException', 403);
    expect(e.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown access key → UnrecognizedClientException 403', async () => {
    const stranger = h.client({ accessKeyId: 'OMSKAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) });
    const e = await refused(h, stranger, new ListClustersCommand({}));
    expectError(e, 'UnrecognizedClientException', 403);
    expect(e.message).toBe('The security token included in the request is invalid.');
  });

  test('a request signed an hour ago → InvalidSignatureException 403 (maxAttempts 1)', async () => {
    const late = clientWith({ systemClockOffset: -3600_000, maxAttempts: 1 });
    const e = await refused(h, late, new ListClustersCommand({}));
    expectError(e, 'InvalidSignatureException', 403);
    expect(e.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
    const early = clientWith({ systemClockOffset: 3600_000, maxAttempts: 1 });
    const e2 = await refused(h, early, new ListClustersCommand({}));
    expectError(e2, 'InvalidSignatureException', 403);
    expect(e2.message).toMatch(/^Signature not yet current/);
  });

  test('with retries, the SDK corrects its clock from our Date header and succeeds', async () => {
    const late = clientWith({ systemClockOffset: -3600_000, maxAttempts: 2 });
    const out = await late.send(new ListClustersCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.attempts).toBe(2);
    expect(Math.abs(late.config.systemClockOffset)).toBeLessThan(60_000);
  });

  test('a tampered body is refused (with and without x-amz-content-sha256)', async () => {
    const { ClusterArn } = await createCluster(kafka, 'tamper-target');
    const path = `/v1/tags/${label(ClusterArn!)}`;
    const body = { tags: { color: 'blue' } };
    const flip = (r: { body: Buffer }) => { r.body[r.body.indexOf('blue')] = 'g'.charCodeAt(0); };
    for (const contentSha256 of [true, false]) {
      const res = await signed(h, 'POST', path, {}, body, { contentSha256, mutate: flip });
      expect([contentSha256, res.status, res.headers.get('x-amzn-errortype')]).toEqual([contentSha256, 403, 'InvalidSignatureException']);
      expect(typeof res.json.message).toBe('string');
    }
    expect((await kafka.send(new ListTagsForResourceCommand({ ResourceArn: ClusterArn }))).Tags).toEqual({ owner: 'a' });
    // Control: the same request untampered is accepted (CLI style without the header, SDK style with it).
    for (const contentSha256 of [true, false]) {
      const ok = await signed(h, 'POST', path, {}, body, { contentSha256 });
      expect(ok.status).toBe(204);
    }
    expect((await kafka.send(new ListTagsForResourceCommand({ ResourceArn: ClusterArn }))).Tags).toEqual({ owner: 'a', color: 'blue' });
  });

  test('a tampered query string, signed header or path → InvalidSignatureException', async () => {
    const { ClusterArn } = await createCluster(kafka, 'tamper-query');
    const path = `/v1/tags/${label(ClusterArn!)}`;
    // Repeated tagKeys are signed sorted; sent in a different order they still verify.
    const untag = await signed(h, 'DELETE', path, { tagKeys: ['owner', 'absent'] });
    expect(untag.status).toBe(204);
    const ok = await signed(h, 'GET', '/v1/clusters', { maxResults: '5' });
    expect(ok.status).toBe(200);
    const query = await signed(h, 'GET', '/v1/clusters', { maxResults: '5' }, undefined, { sendQuery: { maxResults: '6' } });
    expect([query.status, query.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
    const date = await signed(h, 'GET', '/v1/clusters', { maxResults: '5' }, undefined, {
      mutate: (r) => { r.headers['x-amz-date'] = r.headers['x-amz-date'].replace(/(\d)Z$/, (_m, d) => `${(Number(d) + 1) % 10}Z`); },
    });
    expect([date.status, date.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
    // The signature covers the path exactly as encoded: another ARN, or the same ARN encoded differently, fails.
    const { ClusterArn: other } = await createCluster(kafka, 'tamper-other');
    const described = await signed(h, 'GET', `/v1/clusters/${label(ClusterArn!)}`);
    expect(described.status).toBe(200);
    expect(described.json.clusterInfo.clusterArn).toBe(ClusterArn);
    const moved = await signed(h, 'GET', `/v1/clusters/${label(ClusterArn!)}`, {}, undefined, { sendPath: `/v1/clusters/${label(other!)}` });
    expect([moved.status, moved.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
  });
  test('a malformed Authorization header → IncompleteSignatureException 403', async () => {
    const cases = [
      'AWS4-HMAC-SHA256 Credential=abc',
      `AWS4-HMAC-SHA256 Credential=${h.credentials.accessKeyId}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      `AWS4-HMAC-SHA256 Credential=${h.credentials.accessKeyId}/20260101/us-east-1/kafka/aws4_request, SignedHeaders=x-amz-date, Signature=${'0'.repeat(64)}`,
    ];
    for (const authorization of cases) {
      const res = await raw(h, 'GET', '/v1/clusters', { headers: { authorization, 'x-amz-date': '20260101T000000Z' } });
      expect([authorization, res.status, res.headers.get('x-amzn-errortype')]).toEqual([authorization, 403, 'IncompleteSignatureException']);
      expect(typeof res.json.message).toBe('string');
    }
  });
});

describe('Bearer tokens', () => {
  test('Authorization: Bearer <token> works for GET /v1/clusters', async () => {
    await createCluster(kafka, 'bearer-visible');
    const res = await bearer(h, 'GET', '/v1/clusters');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Array.isArray(res.json.clusterInfoList)).toBe(true);
    expect(res.json.clusterInfoList.map((c: { clusterName: string }) => c.clusterName)).toContain('bearer-visible');
    // Wire names, not SDK names.
    expect(res.json.clusterInfoList[0]).toHaveProperty('clusterArn');
    expect(res.json.clusterInfoList[0]).not.toHaveProperty('ClusterArn');
  });

  test('a wrong bearer token → 403 and nothing written', async () => {
    const before = await rowCounts(h.db);
    const res = await bearer(h, 'GET', '/v1/clusters', undefined, 'omsk_not-a-real-token');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    expect(typeof res.json.message).toBe('string');
    const post = await bearer(h, 'POST', '/v1/configurations', { name: 'x', serverProperties: Buffer.from('num.partitions=1').toString('base64') }, 'omsk_wrong');
    expect(post.status).toBe(403);
    expect(await rowCounts(h.db)).toEqual(before);
  });
});

describe('Accounts are isolated', () => {
  let bClient: KafkaClient;
  let clusterArn: string;
  let configArn: string;
  let operationArn: string;
  const snapshot = async () => ({
    cluster: await h.db.cluster.findUnique({ where: { arn: clusterArn } }),
    configuration: await h.db.configuration.findUnique({ where: { arn: configArn } }),
    counts: await rowCounts(h.db),
  });

  beforeAll(async () => {
    const b = await h.newAccount('b');
    bClient = h.client({ accessKeyId: b.accessKeyId, secretAccessKey: b.secretAccessKey });
    clusterArn = (await createCluster(kafka, 'a-private')).ClusterArn!;
    configArn = (await kafka.send(new CreateConfigurationCommand({ Name: 'a-config', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')) }))).Arn!;
    const ops = await kafka.send(new ListClusterOperationsCommand({ ClusterArn: clusterArn }));
    operationArn = ops.ClusterOperationInfoList![0].OperationArn!;
  });

  test("B gets 404 for every operation on A's cluster, configuration and operation; A's rows are unchanged", async () => {
    const before = await snapshot();
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: clusterArn }));
    const attempts: [string, object, string][] = [
      ['DescribeCluster', new DescribeClusterCommand({ ClusterArn: clusterArn }), 'clusterArn'],
      ['DeleteCluster', new DeleteClusterCommand({ ClusterArn: clusterArn }), 'clusterArn'],
      ['DeleteCluster+version', new DeleteClusterCommand({ ClusterArn: clusterArn, CurrentVersion: ClusterInfo!.CurrentVersion }), 'clusterArn'],
      ['TagResource cluster', new TagResourceCommand({ ResourceArn: clusterArn, Tags: { owner: 'b' } }), 'resourceArn'],
      ['UntagResource cluster', new UntagResourceCommand({ ResourceArn: clusterArn, TagKeys: ['owner'] }), 'resourceArn'],
      ['ListTagsForResource cluster', new ListTagsForResourceCommand({ ResourceArn: clusterArn }), 'resourceArn'],
      ['ListClusterOperations', new ListClusterOperationsCommand({ ClusterArn: clusterArn }), 'clusterArn'],
      ['DescribeClusterOperation', new DescribeClusterOperationCommand({ ClusterOperationArn: operationArn }), 'clusterOperationArn'],
      ['GetCompatibleKafkaVersions', new GetCompatibleKafkaVersionsCommand({ ClusterArn: clusterArn }), 'clusterArn'],
      ['DescribeConfiguration', new DescribeConfigurationCommand({ Arn: configArn }), 'arn'],
      ['DescribeConfigurationRevision', new DescribeConfigurationRevisionCommand({ Arn: configArn, Revision: 1 }), 'arn'],
      ['UpdateConfiguration', new UpdateConfigurationCommand({ Arn: configArn, ServerProperties: new Uint8Array(Buffer.from('num.partitions=9\n')) }), 'arn'],
      ['DeleteConfiguration', new DeleteConfigurationCommand({ Arn: configArn }), 'arn'],
      ['TagResource configuration', new TagResourceCommand({ ResourceArn: configArn, Tags: { owner: 'b' } }), 'resourceArn'],
      ['ListTagsForResource configuration', new ListTagsForResourceCommand({ ResourceArn: configArn }), 'resourceArn'],
    ];
    for (const [what, cmd, param] of attempts) {
      const e: SdkError = await refused(h, bClient, cmd);
      expect([what, e.name, e.$metadata.httpStatusCode, e.InvalidParameter]).toEqual([what, 'NotFoundException', 404, param]);
    }
    // B may not attach A's configuration to its own cluster either.
    const attach = await refused(h, bClient, new CreateClusterCommand({
      ClusterName: 'b-steals', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
      ConfigurationInfo: { Arn: configArn, Revision: 1 },
    }));
    expectError(attach, 'BadRequestException', 400, 'configurationInfo');
    expect(await snapshot()).toEqual(before);
  });

  test("B's lists do not show A's resources; B may reuse A's names", async () => {
    const list = await bClient.send(new ListClustersCommand({}));
    expect(list.ClusterInfoList).toEqual([]);
    expect((await bClient.send(new ListConfigurationsCommand({}))).Configurations).toEqual([]);
    const mine = await createCluster(bClient, 'a-private');
    expect(mine.ClusterArn).not.toBe(clusterArn);
    expect(mine.ClusterArn).toMatch(/^arn:aws:kafka:us-east-1:(\d{12}):cluster\/a-private\//);
    expect(mine.ClusterArn).not.toContain(h.accountId);
    const bList = await bClient.send(new ListClustersCommand({}));
    expect(bList.ClusterInfoList?.map((c) => c.ClusterArn)).toEqual([mine.ClusterArn]);
    const aList = await kafka.send(new ListClustersCommand({ ClusterNameFilter: 'a-private' }));
    expect(aList.ClusterInfoList?.map((c) => c.ClusterArn)).toEqual([clusterArn]);
  });
});

describe('Regions', () => {
  test('another signing region sees its own (empty) lists, and its ARNs carry that region', async () => {
    await createCluster(kafka, 'east-only');
    const west = h.client(h.credentials, 'eu-west-1');
    expect((await west.send(new ListClustersCommand({}))).ClusterInfoList).toEqual([]);
    expect((await west.send(new ListConfigurationsCommand({}))).Configurations).toEqual([]);

    const made = await createCluster(west, 'east-only'); // same name, other region: allowed
    expect(made.ClusterArn).toMatch(new RegExp(`^arn:aws:kafka:eu-west-1:${h.accountId}:cluster/east-only/`));
    const cfg = await west.send(new CreateConfigurationCommand({ Name: 'west-config', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')) }));
    expect(cfg.Arn).toMatch(new RegExp(`^arn:aws:kafka:eu-west-1:${h.accountId}:configuration/west-config/`));
    const ops = await west.send(new ListClusterOperationsCommand({ ClusterArn: made.ClusterArn }));
    expect(ops.ClusterOperationInfoList?.[0].OperationArn).toMatch(new RegExp(`^arn:aws:kafka:eu-west-1:${h.accountId}:cluster-operation/east-only/`));

    expect((await west.send(new ListClustersCommand({}))).ClusterInfoList?.map((c) => c.ClusterArn)).toEqual([made.ClusterArn]);
    const east = await kafka.send(new ListClustersCommand({ ClusterNameFilter: 'east-only' }));
    expect(east.ClusterInfoList).toHaveLength(1);
    expect(east.ClusterInfoList![0].ClusterArn).toMatch(/^arn:aws:kafka:us-east-1:/);
    expect((await kafka.send(new ListConfigurationsCommand({}))).Configurations?.map((c) => c.Name)).not.toContain('west-config');
  });

  test("another region cannot reach this region's configurations, tags or operations by ARN", async () => {
    const { ClusterArn } = await createCluster(kafka, 'east-tagged');
    const cfg = await kafka.send(new CreateConfigurationCommand({ Name: 'east-config', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')) }));
    const [op] = (await kafka.send(new ListClusterOperationsCommand({ ClusterArn }))).ClusterOperationInfoList!;
    const west = h.client(h.credentials, 'eu-west-1');
    const attempts: [string, object, string, number][] = [
      ['DescribeConfiguration', new DescribeConfigurationCommand({ Arn: cfg.Arn }), 'arn', 404],
      ['UpdateConfiguration', new UpdateConfigurationCommand({ Arn: cfg.Arn, ServerProperties: new Uint8Array(Buffer.from('num.partitions=2\n')) }), 'arn', 404],
      ['DeleteConfiguration', new DeleteConfigurationCommand({ Arn: cfg.Arn }), 'arn', 404],
      ['TagResource configuration', new TagResourceCommand({ ResourceArn: cfg.Arn, Tags: { x: 'y' } }), 'resourceArn', 404],
      ['TagResource cluster', new TagResourceCommand({ ResourceArn: ClusterArn, Tags: { x: 'y' } }), 'resourceArn', 404],
      ['ListTagsForResource cluster', new ListTagsForResourceCommand({ ResourceArn: ClusterArn }), 'resourceArn', 404],
      ['DescribeClusterOperation', new DescribeClusterOperationCommand({ ClusterOperationArn: op.OperationArn }), 'clusterOperationArn', 404],
      ['CreateCluster with an east configuration', new CreateClusterCommand({
        ClusterName: 'west-uses-east', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
        BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
        ConfigurationInfo: { Arn: cfg.Arn, Revision: 1 },
      }), 'configurationInfo', 400],
    ];
    for (const [what, cmd, param, status] of attempts) {
      const e = await refused(h, west, cmd);
      expect([what, e.$metadata.httpStatusCode, e.InvalidParameter]).toEqual([what, status, param]);
    }
    expect((await kafka.send(new ListTagsForResourceCommand({ ResourceArn: ClusterArn }))).Tags).toEqual({ owner: 'a' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// What the signature does not cover is refused. fetch() strips '#' and merges repeated headers, so these requests
// go over a bare socket, exactly as written.

/** One HTTP/1.1 request over a socket: the target and the header lines exactly as given. */
function sendRaw(method: string, target: string, headers: [string, string][]): Promise<{ status: number; errorType?: string; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const url = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
      const errorType = /\r\nx-amzn-errortype: ([^\r]+)/i.exec(head)?.[1];
      const payload = rest.join('\r\n\r\n');
      let json: unknown;
      try { json = payload ? JSON.parse(payload) : undefined; } catch { json = payload; }
      resolve({ status, errorType, json });
    });
    const lines = [`${method} ${target} HTTP/1.1`, `host: ${url.host}`, ...headers.map(([k, v]) => `${k}: ${v}`), 'connection: close'];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`); // the server closes (connection: close)
  });
}

/** The headers the JS SDK's signer puts on a request (host left out: sendRaw writes it). */
async function signHeaders(method: string, path: string, query: Record<string, string | string[]>, opts: { region?: string } = {}) {
  const url = new URL(h.url);
  const signer = new SignatureV4({ credentials: h.credentials, region: opts.region ?? 'us-east-1', service: 'kafka', sha256: Sha256, applyChecksum: false, uriEscapePath: true });
  const out = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host } });
  return Object.entries(out.headers as Record<string, string>).filter(([k]) => k !== 'host') as [string, string][];
}

describe('the signature covers exactly what the handler executes', () => {
  let arn: string;
  let path: string;
  const tags = async () => (await kafka.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
  beforeAll(async () => {
    arn = (await kafka.send(new CreateConfigurationCommand({ Name: 'fragment-target', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')) }))).Arn!;
    await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { k1: '1', k2: '2', k3: '3' } }));
    path = `/v1/tags/${label(arn)}`;
  });

  test("a query extended after '#' → 403 InvalidSignatureException; no tag is removed", async () => {
    const headers = await signHeaders('DELETE', path, { tagKeys: 'k1' });
    const before = await rowCounts(h.db);
    for (const target of [`${path}?tagKeys=k1&#=&tagKeys=k2&tagKeys=k3`, `${path}?tagKeys=k1#&tagKeys=k2`, `${path}#?tagKeys=k1`]) {
      const res = await sendRaw('DELETE', target, headers);
      expect([target, res.status, res.errorType]).toEqual([target, 403, 'InvalidSignatureException']);
      expect(res.json.message).toMatch(/^The request target contains '#'/);
    }
    expect(await tags()).toEqual({ k1: '1', k2: '2', k3: '3' });
    expect(await rowCounts(h.db)).toEqual(before);
    // Control: the same signed request, untampered, removes k1 only.
    const ok = await sendRaw('DELETE', `${path}?tagKeys=k1`, headers);
    expect(ok.status).toBe(204);
    expect(await tags()).toEqual({ k2: '2', k3: '3' });
  });

  test("a signed ListClusters sent as '?#&maxResults=abc' → 403, not the handler's 400", async () => {
    const headers = await signHeaders('GET', '/v1/clusters', {});
    const res = await sendRaw('GET', '/v1/clusters?#&maxResults=abc', headers);
    expect([res.status, res.errorType]).toEqual([403, 'InvalidSignatureException']);
    expect((await sendRaw('GET', '/v1/clusters', headers)).status).toBe(200);
  });

  test("bearer requests share the parser: a '#' → 400 BadRequestException, nothing removed", async () => {
    const res = await sendRaw('DELETE', `${path}?tagKeys=k2&#=&tagKeys=k3`, [['authorization', `Bearer ${h.token}`]]);
    expect([res.status, res.errorType]).toEqual([400, 'BadRequestException']);
    expect(await tags()).toEqual({ k2: '2', k3: '3' });
    // ... and they read repeated query values like a signed request does.
    const ok = await sendRaw('DELETE', `${path}?tagKeys=k2&tagKeys=k3`, [['authorization', `Bearer ${h.token}`]]);
    expect(ok.status).toBe(204);
    expect(await tags()).toEqual({});
  });

  test("a path the signer normalises ('..') → 403: the router would have run another path", async () => {
    const headers = await signHeaders('GET', `/v1/clusters`, {});
    const res = await sendRaw('GET', '/v1/x/../clusters', headers);
    expect([res.status, res.errorType]).toEqual([403, 'InvalidSignatureException']);
  });

  test('a second Authorization header → 403 IncompleteSignatureException, whichever comes first', async () => {
    await kafka.send(new TagResourceCommand({ ResourceArn: arn, Tags: { k9: '9' } }));
    const signedHeaders = await signHeaders('DELETE', path, { tagKeys: 'k9' });
    const sigAuth = signedHeaders.find(([k]) => k === 'authorization')!;
    const others = signedHeaders.filter(([k]) => k !== 'authorization');
    const bearerAuth: [string, string] = ['authorization', `Bearer ${h.token}`];
    for (const auths of [[sigAuth, bearerAuth], [bearerAuth, sigAuth], [sigAuth, sigAuth], [bearerAuth, bearerAuth]]) {
      const res = await sendRaw('DELETE', `${path}?tagKeys=k9`, [...others, ...auths]);
      expect([res.status, res.errorType]).toEqual([403, 'IncompleteSignatureException']);
      expect(res.json.message).toBe('The request carries more than one Authorization header; send exactly one.');
    }
    expect(await tags()).toEqual({ k9: '9' });
  });
});

describe('X-Amz-Security-Token: openmsk issues no temporary credentials', () => {
  test('an SDK with a session token → 403 UnrecognizedClientException, nothing written', async () => {
    const temporary = clientWith({ credentials: { ...h.credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token==' } as never });
    const e = await refused(h, temporary, new CreateConfigurationCommand({ Name: 'with-token', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')) }));
    expectError(e, 'UnrecognizedClientException', 403);
    expect(e.message).toBe('The security token included in the request is invalid.');
  });

  test('the same with a bearer token, signed or not', async () => {
    const res = await raw(h, 'GET', '/v1/clusters', { headers: { authorization: `Bearer ${h.token}`, 'x-amz-security-token': 'made-up' } });
    expect([res.status, res.headers.get('x-amzn-errortype'), res.json.message]).toEqual([403, 'UnrecognizedClientException', 'The security token included in the request is invalid.']);
  });
});

describe('Signing regions', () => {
  const cluster = (client: KafkaClient, name: string) => createCluster(client, name);

  test("a region AWS does not have, or not in canonical spelling → 403 InvalidSignatureException with AWS's text; nothing written", async () => {
    for (const region of ['local', 'US-EAST-1', 'us-east-9', 'cn-north-1']) {
      const e = await refused(h, h.client(h.credentials, region), new CreateClusterCommand({
        ClusterName: 'odd-region', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
        BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['s-1', 's-2'] },
      }));
      expect([region, e.name, e.$metadata.httpStatusCode, e.message]).toEqual([region, 'InvalidSignatureException', 403, `Credential should be scoped to a valid region, not '${region}'.`]);
    }
  });

  test('every AWS region of the list works end to end (CreateCluster re-reads its own ARN)', async () => {
    for (const region of ['eu-central-2', 'ap-southeast-7', 'mx-central-1']) {
      const made = await cluster(h.client(h.credentials, region), `in-${region}`);
      expect(made.ClusterArn).toMatch(new RegExp(`^arn:aws:kafka:${region}:${h.accountId}:cluster/in-${region}/`));
      const ops = await h.client(h.credentials, region).send(new ListClusterOperationsCommand({ ClusterArn: made.ClusterArn }));
      expect(ops.ClusterOperationInfoList).toHaveLength(1);
    }
  });

  test('OPENMSK_REGION is accepted too, for SigV4 and bearer requests alike', async () => {
    const other = await startApi({ OPENMSK_REGION: 'xx-local-1' });
    try {
      const made = await createCluster(other.client(other.credentials, 'xx-local-1'), 'local-one');
      expect(made.ClusterArn).toMatch(/^arn:aws:kafka:xx-local-1:/);
      const listed = await bearer(other, 'GET', '/v1/clusters');
      expect(listed.json.clusterInfoList.map((c: { clusterArn: string }) => c.clusterArn)).toEqual([made.ClusterArn]);
    } finally {
      await other.close();
    }
  });
});
