import { ACMPCAClient, ListCertificateAuthoritiesCommand } from '@aws-sdk/client-acm-pca';
import { CreateClusterCommand, DescribeClusterCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startApi, type Harness } from './harness';
import { raw, signed } from './helpers';
import { parsePrometheus, sampleValue, samplesOf, scrape, type Family } from '@openmsk/wire';

let h: Harness;
let kafka: KafkaClient;
let sm: SecretsManagerClient;
let pca: ACMPCAClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  sm = new SecretsManagerClient({ endpoint: h.url, region: 'us-east-1', credentials: h.credentials, maxAttempts: 1 });
  pca = new ACMPCAClient({ endpoint: h.url, region: 'us-east-1', credentials: h.credentials, maxAttempts: 1 });
});
afterAll(async () => {
  sm.destroy();
  pca.destroy();
  await h.close();
});

const missingArn = 'arn:aws:kafka:us-east-1:123456789012:cluster/x/00000000-0000-0000-0000-000000000000-1';

/** Every `openmsk_api_requests_total` series as `operation status` → count. */
const requestCounts = (m: Map<string, Family>) =>
  Object.fromEntries(samplesOf(m, 'openmsk_api_requests_total').map((s) => [`${s.labels.operation} ${s.labels.status}`, s.value]));

/** What moved between two scrapes: only series whose value changed. */
function moved(before: Record<string, number>, after: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

describe('GET /metrics on the API', () => {
  test('answers Prometheus text without credentials: request metrics, clusters by state, process metrics', async () => {
    const res = await raw(h, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('x-amzn-errortype')).toBeNull(); // not the AWS dispatcher's UnknownOperationException
    const m = parsePrometheus(res.text);
    expect(m.get('openmsk_api_requests_total')?.type).toBe('counter');
    expect(m.get('openmsk_api_request_duration_seconds')?.type).toBe('histogram');
    expect(m.get('openmsk_clusters')?.type).toBe('gauge');
    // prom-client's default metrics, under the API's prefix.
    expect(m.get('openmsk_api_process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(m.get('openmsk_api_process_resident_memory_bytes')?.type).toBe('gauge');
    expect(m.get('openmsk_api_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(sampleValue(m, 'openmsk_api_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  test('counters move by exactly the requests made, labelled by AWS operation (never the URL) and status', async () => {
    const before = await scrape(h.url);
    // Three APIs on one endpoint, successes and refusals, and paths no operation matches.
    const notFound = await kafka.send(new DescribeClusterCommand({ ClusterArn: missingArn })).catch((e: Error) => e);
    expect((notFound as Error).name).toBe('NotFoundException');
    await kafka.send(new CreateClusterCommand({
      ClusterName: 'metrics', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
    }));
    expect((await raw(h, 'GET', '/no-such-thing/12345')).status).toBe(404);
    expect((await signed(h, 'GET', '/v1/no-such-operation')).status).toBe(404);
    await sm.send(new CreateSecretCommand({ Name: 'AmazonMSK_metrics', SecretString: 'x' }));
    await pca.send(new ListCertificateAuthoritiesCommand({}));
    // openmsk's own paths are not AWS operations: not counted.
    expect((await raw(h, 'GET', '/health')).status).toBe(200);
    await scrape(h.url);

    const after = await scrape(h.url);
    expect(moved(requestCounts(before), requestCounts(after))).toEqual({
      'DescribeCluster 404': 1,
      'CreateCluster 200': 1,
      'unknown 404': 2,
      'CreateSecret 200': 1,
      'ListCertificateAuthorities 200': 1,
    });
    for (const s of samplesOf(after, 'openmsk_api_requests_total')) expect(s.labels.operation).not.toMatch(/\//);

    // The latency histogram: buckets, _sum and _count per operation (the parser checks they agree).
    const count = (m: Map<string, Family>, operation: string) => sampleValue(m, 'openmsk_api_request_duration_seconds_count', { operation });
    expect(count(after, 'DescribeCluster') - count(before, 'DescribeCluster')).toBe(1);
    expect(count(after, 'CreateCluster') - count(before, 'CreateCluster')).toBe(1);
    expect(sampleValue(after, 'openmsk_api_request_duration_seconds_sum', { operation: 'CreateCluster' })).toBeGreaterThan(0);
    const buckets = samplesOf(after, 'openmsk_api_request_duration_seconds_bucket').filter((s) => s.labels.operation === 'CreateCluster');
    expect(buckets.length).toBeGreaterThan(5);
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: count(after, 'CreateCluster') });

    // The created cluster waits for a worker (none runs here): CREATING, read from Postgres at scrape time.
    expect(sampleValue(after, 'openmsk_clusters', { state: 'CREATING' })).toBe(1);
    expect(samplesOf(after, 'openmsk_clusters')).toHaveLength(1);
  });

  test('an X-Amz-Target no handler knows counts as unknown, with its status', async () => {
    const before = requestCounts(await scrape(h.url));
    const res = await signed(h, 'POST', '/'); // no target: neither Secrets Manager nor ACM PCA
    expect(res.status).toBe(404);
    const bogus = await raw(h, 'POST', '/', { headers: { 'x-amz-target': 'secretsmanager.NoSuchThing', 'content-type': 'application/x-amz-json-1.1', authorization: `Bearer ${h.token}` }, body: '{}' });
    expect(bogus.status).toBe(400);
    expect(moved(before, requestCounts(await scrape(h.url)))).toEqual({ 'unknown 404': 1, 'unknown 400': 1 });
  });

  test('each app has its own registry: a second API in the same process starts from zero', async () => {
    const other = await startApi();
    try {
      const m = await scrape(other.url);
      expect(samplesOf(m, 'openmsk_api_requests_total')).toEqual([]);
      expect(samplesOf(m, 'openmsk_clusters')).toEqual([]);
      expect(Object.keys(requestCounts(await scrape(h.url))).length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});

describe('the test parser is strict', () => {
  test('it refuses what a scraper would', () => {
    const ok = '# HELP a_total x\n# TYPE a_total counter\na_total{op="X"} 1\n';
    expect(parsePrometheus(ok).get('a_total')?.samples).toEqual([{ name: 'a_total', labels: { op: 'X' }, value: 1 }]);
    for (const bad of [
      '# TYPE a counter\na 1', // no final newline
      '# TYPE a counter\na{op=X} 1\n', // unquoted
      '# TYPE a counter\na{op="X"} one\n', // value
      '# TYPE a counter\na 1\na 2\n', // series twice
      'a 1\n', // no TYPE
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // not cumulative
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', // no +Inf
    ]) expect(() => parsePrometheus(bad)).toThrow();
  });
});
